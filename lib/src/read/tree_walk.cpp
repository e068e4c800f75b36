// SPDX-License-Identifier: MIT
// Expanding arguments into files (see tree_walk.h). Regular files are recognised from readdir's
// d_type and d_ino without a stat per file, which matters under /usr/lib's thousands of entries.
//
// Symbolic links cost nothing unless they are followed out of the tree. Links are looked at after
// the whole tree has been walked, and by then every file and directory inside the tree has been
// met under its own name (device and inode): a link that names one of them adds nothing, and a
// link that names anything else leaves the tree. So without --follow-symlinks no link can add a
// file, and none is even resolved (no stat, no realpath: /usr has thousands of links, and
// realpath's readlink of every path component was a tenth of the system calls of a walk). The
// one difference from resolving them: a file inside a directory the walk could not list (whose
// error is reported) is not reached through a link either.
#include "pkgnote/tree_walk.h"

#include "io/byte_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <map>
#include <set>
#include <sys/stat.h>
#include <utility>

namespace pkgnote {
namespace {

using detail::errnoText;
using detail::inputProblem;

using FileId = std::pair<dev_t, ino_t>;

ReadInput failed(const std::string &path, const std::string &message) {
  return ReadInput{path, false, inputProblem(path, message)};
}

std::string join(const std::string &dir, const char *name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

class Walker {
public:
  Walker(const WalkOptions &options, const std::function<void(ReadInput)> &out,
         const OtherNameSink &onOtherName)
      : options_(options), out_(out), onOtherName_(onOtherName) {}

  // Symbolic links (kept only with --follow-symlinks) are resolved after the tree's own files and
  // directories: most (libfoo.so.1 -> libfoo.so.1.2.3) then name an inode already seen.
  void walkTree(const std::string &dir, const struct stat &st) {
    walkDirectory(dir, st);
    for (std::size_t i = 0; i < links_.size(); ++i) // following a link may find more links
      visitLink(links_[i]);
    links_.clear();
  }

  // A file named as an argument (with an OtherNameSink only: a file named twice is one file).
  void addArgument(const std::string &path, const struct stat &st) {
    addFile(path, FileId{st.st_dev, st.st_ino}, false);
  }

private:
  void walkDirectory(const std::string &dir, const struct stat &st) {
    if (!visitedDirs_.insert({st.st_dev, st.st_ino}).second)
      return; // a symbolic link loop or a directory reached twice
    DIR *stream = ::opendir(dir.c_str());
    if (!stream) {
      out_(failed(dir, errnoText(errno)));
      return;
    }
    std::vector<std::pair<std::string, unsigned char>> entries;
    std::vector<ino_t> inodes;
    while (const struct dirent *entry = ::readdir(stream)) {
      if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0)
        continue;
      entries.emplace_back(entry->d_name, entry->d_type);
      inodes.push_back(entry->d_ino);
    }
    ::closedir(stream);
    if (options_.claimLayout &&
        std::any_of(entries.begin(), entries.end(),
                    [](const auto &entry) { return entry.first == "oci-layout"; }) &&
        options_.claimLayout(dir))
      return;
    std::vector<std::size_t> order(entries.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return entries[a].first < entries[b].first; });
    for (std::size_t i : order)
      visit(join(dir, entries[i].first.c_str()), entries[i].second, FileId{st.st_dev, inodes[i]});
  }

  void visit(const std::string &path, unsigned char type, FileId id) {
    if (type == DT_REG) {
      addFile(path, id);
      return;
    }
    if (type == DT_LNK) {
      keepLink(path);
      return;
    }
    if (type != DT_DIR && type != DT_UNKNOWN)
      return; // devices, FIFOs, sockets: never ELF files worth opening
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0)
      return; // vanished since readdir
    if (S_ISLNK(st.st_mode)) {
      keepLink(path);
      return;
    }
    visitResolved(path, st);
  }

  void keepLink(const std::string &path) {
    if (options_.followSymlinks)
      links_.push_back(path);
  }

  void visitLink(const std::string &path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
      return; // dangling
    FileId id{st.st_dev, st.st_ino};
    if ((S_ISREG(st.st_mode) && seenFiles_.count(id)) ||
        (S_ISDIR(st.st_mode) && visitedDirs_.count(id)))
      return; // already read through another name
    visitResolved(path, st);
  }

  void visitResolved(const std::string &path, const struct stat &st) {
    if (S_ISDIR(st.st_mode))
      walkDirectory(path, st);
    else if (S_ISREG(st.st_mode))
      addFile(path, FileId{st.st_dev, st.st_ino});
  }

  // Lists the file ID under PATH the first time, else tells onOtherName_ about PATH.
  void addFile(const std::string &path, FileId id, bool inTree = true) {
    auto [seen, first] = seenFiles_.try_emplace(id);
    if (first && onOtherName_)
      seen->second = path;
    if (first)
      out_(ReadInput{path, inTree, std::nullopt});
    else if (onOtherName_)
      onOtherName_(path, seen->second);
  }

  const WalkOptions &options_;
  const std::function<void(ReadInput)> &out_;
  const OtherNameSink &onOtherName_;
  std::vector<std::string> links_;
  std::set<FileId> visitedDirs_;
  std::map<FileId, std::string> seenFiles_; // the name listed, kept only for onOtherName_
};

} // namespace

void walkInputs(const std::vector<std::string> &arguments, const WalkOptions &options,
                const std::function<void(ReadInput)> &sink) {
  walkInputs(arguments, options, sink, nullptr);
}

void walkInputs(const std::vector<std::string> &arguments, const WalkOptions &options,
                const std::function<void(ReadInput)> &sink, const OtherNameSink &onOtherName) {
  Walker walker(options, sink, onOtherName); // one for all arguments: a file is read once
  for (const std::string &argument : arguments) {
    struct stat st;
    if (::stat(argument.c_str(), &st) != 0) {
      sink(failed(argument, errnoText(errno)));
      continue;
    }
    if (onOtherName && S_ISREG(st.st_mode)) {
      walker.addArgument(argument, st);
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      sink(ReadInput{argument, false, std::nullopt});
      continue;
    }
    if (!options.recursive) {
      sink(failed(argument, "is a directory (use --recursive)"));
      continue;
    }
    walker.walkTree(argument, st);
  }
}

std::vector<ReadInput> expandInputs(const std::vector<std::string> &arguments,
                                    const WalkOptions &options) {
  std::vector<ReadInput> inputs;
  walkInputs(arguments, options, [&](ReadInput input) { inputs.push_back(std::move(input)); });
  return inputs;
}

} // namespace pkgnote
