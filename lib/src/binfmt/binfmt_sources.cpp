// SPDX-License-Identifier: MIT
// Finding binfmt_misc registrations on a system (or an image under --root): the kernel's live
// table, systemd's binfmt.d directories with their masking rule, and binfmt-support's format
// directory. Paths are resolved under the root the way the system would resolve them, so that an
// absolute symlink inside an image (qemu's /usr/libexec/qemu-binfmt/*-binfmt-P links, Debian's
// alternatives) does not escape to the host.
#include "pkgnote/binfmt.h"
#include "pkgnote/elf_reader.h"

#include "binfmt/binfmt_internal.h"

#include <llvm/ADT/StringRef.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

using llvm::StringRef;

namespace pkgnote {
namespace binfmt_detail {

std::string joinRoot(const std::string &root, const std::string &path) {
  StringRef base = StringRef(root).rtrim('/');
  if (base.empty())
    return path;
  return base.str() + path;
}

std::string resolveUnderRoot(const std::string &root, const std::string &path) {
  // Like the kernel's path walk: at most 40 symlinks, then ELOOP.
  constexpr int kMaxLinks = 40;
  std::vector<std::string> pending; // components still to walk, last one first
  auto pushComponents = [&pending](StringRef text) {
    llvm::SmallVector<StringRef, 16> parts;
    text.split(parts, '/', -1, /*KeepEmpty=*/false);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
      pending.push_back(it->str());
  };
  pushComponents(path);
  std::string resolved;
  int links = 0;
  while (!pending.empty()) {
    std::string component = std::move(pending.back());
    pending.pop_back();
    if (component == ".")
      continue;
    if (component == "..") {
      resolved.resize(
          StringRef(resolved).rfind('/') == StringRef::npos ? 0 : StringRef(resolved).rfind('/'));
      continue;
    }
    std::string candidate = resolved + "/" + component;
    std::string onDisk = joinRoot(root, candidate);
    struct stat status;
    if (::lstat(onDisk.c_str(), &status) != 0)
      return {};
    if (!S_ISLNK(status.st_mode)) {
      resolved = std::move(candidate);
      continue;
    }
    if (++links > kMaxLinks)
      return {};
    char target[4096];
    ssize_t length = ::readlink(onDisk.c_str(), target, sizeof target);
    if (length <= 0 || static_cast<std::size_t>(length) >= sizeof target)
      return {};
    StringRef targetText(target, static_cast<std::size_t>(length));
    if (targetText.startswith("/"))
      resolved.clear();
    pushComponents(targetText);
  }
  return resolved.empty() ? "/" : resolved;
}

} // namespace binfmt_detail

namespace {

using binfmt_detail::errnoText;
using binfmt_detail::joinRoot;
using binfmt_detail::makeError;
using binfmt_detail::resolveUnderRoot;
using detail::inputError;
using detail::inputProblem;
using detail::toPublicError;

// Registration files are a few hundred bytes; anything larger than this is not one.
constexpr std::size_t kMaxConfigFileSize = 1 << 20;

// Reads a small file whole. /proc files report size 0, so this reads until EOF.
llvm::Expected<std::string> readSmallFile(const std::string &onDisk, const std::string &shown) {
  int fd = ::open(onDisk.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return inputError(shown, errnoText(errno));
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int saved = errno;
      ::close(fd);
      return inputError(shown, errnoText(saved));
    }
    if (got == 0)
      break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > kMaxConfigFileSize) {
      ::close(fd);
      return inputError(shown, "larger than " + std::to_string(kMaxConfigFileSize) + " bytes");
    }
  }
  ::close(fd);
  return text;
}

// The names in DIR (under ROOT) that PREDICATE accepts, sorted.
template <typename Predicate>
std::vector<std::string> listDirectory(const std::string &root, const std::string &dir,
                                       Predicate predicate) {
  std::vector<std::string> names;
  std::error_code error;
  std::filesystem::directory_iterator it(joinRoot(root, dir), error), end;
  for (; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    if (predicate(name))
      names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// SHOWN is the file the problem is about, as seen on the system (the record's "path").
void addProblem(BinfmtListing &listing, Error problem, const std::string &shown) {
  listing.problems.push_back(std::move(problem));
  listing.problemPaths.push_back(shown);
}
void addProblem(BinfmtListing &listing, llvm::Error error, const std::string &shown) {
  addProblem(listing, toPublicError(std::move(error)), shown);
}

constexpr const char *kKernelDir = "/proc/sys/fs/binfmt_misc";

// Reads a file that holds one registration (a kernel entry, a binfmt-support format; SHOWN is
// its path in messages, AT where it lies under ROOT) and adds what PARSE makes of it, or the
// problem.
template <class Parse>
void addRegistrationFile(const std::string &root, const std::string &shown, const std::string &at,
                         const std::string &name, Parse parse, BinfmtListing &listing) {
  auto text = readSmallFile(joinRoot(root, at), shown);
  if (!text) {
    addProblem(listing, text.takeError(), shown);
    return;
  }
  auto entry = parse(name, *text);
  if (!entry) {
    addProblem(listing, inputProblem(shown, entry.error().message), shown);
    return;
  }
  entry->origin = shown;
  listing.registrations.push_back({std::move(*entry), {}});
}

void listKernel(const std::string &root, BinfmtListing &listing) {
  // A mounted binfmt_misc always has "status"; the bare /proc directory is empty.
  struct stat status;
  listing.kernelMounted =
      ::stat(joinRoot(root, std::string(kKernelDir) + "/status").c_str(), &status) == 0;
  if (!listing.kernelMounted)
    return;
  auto names = listDirectory(root, kKernelDir, [](const std::string &name) {
    return name != "status" && name != "register";
  });
  for (const auto &name : names) {
    std::string shown = std::string(kKernelDir) + "/" + name;
    addRegistrationFile(root, shown, shown, name, parseBinfmtKernelEntry, listing);
  }
}

// systemd's way to mask a vendor file: a symlink of the same name to /dev/null (which need not
// exist under an image's root).
bool isMaskedByDevNull(const std::string &onDisk) {
  char target[16];
  ssize_t length = ::readlink(onDisk.c_str(), target, sizeof target);
  return length == 9 && StringRef(target, 9) == "/dev/null";
}

// systemd's search path for binfmt.d, in precedence order (CONF_PATHS("binfmt.d")).
constexpr const char *kBinfmtDDirs[] = {"/etc/binfmt.d", "/run/binfmt.d", "/usr/local/lib/binfmt.d",
                                        "/usr/lib/binfmt.d"};

void listBinfmtD(const std::string &root, BinfmtListing &listing) {
  // File name -> the directory whose file wins; a later directory's file of the same name is
  // masked (a symlink to /dev/null masks without registering anything).
  std::map<std::string, std::string> winners;
  for (const char *dir : kBinfmtDDirs)
    for (auto &name : listDirectory(root, dir, [](const std::string &n) {
           return StringRef(n).endswith(".conf") && !StringRef(n).startswith(".");
         }))
      winners.emplace(name, dir);
  for (const auto &[name, dir] : winners) {
    std::string shown = dir + ("/" + name);
    if (isMaskedByDevNull(joinRoot(root, shown)))
      continue;
    std::string resolved = resolveUnderRoot(root, shown);
    if (resolved.empty()) {
      addProblem(listing, inputProblem(shown, "cannot be resolved"), shown);
      continue;
    }
    auto text = readSmallFile(joinRoot(root, resolved), shown);
    if (!text) {
      addProblem(listing, text.takeError(), shown);
      continue;
    }
    llvm::SmallVector<StringRef, 16> lines;
    StringRef(*text).split(lines, '\n');
    for (std::size_t i = 0; i < lines.size(); ++i) {
      StringRef line = lines[i].trim();
      if (line.empty() || line.front() == '#' || line.front() == ';')
        continue;
      auto entry = parseBinfmtRegistration(std::string_view(line.data(), line.size()));
      if (!entry) {
        addProblem(
            listing,
            inputProblem(shown, "line " + std::to_string(i + 1) + ": " + entry.error().message),
            shown);
        continue;
      }
      entry->source = BinfmtSource::BinfmtD;
      entry->origin = shown;
      listing.registrations.push_back({std::move(*entry), {}});
    }
  }
}

constexpr const char *kBinfmtSupportDir = "/usr/share/binfmts";

void listBinfmtSupport(const std::string &root, BinfmtListing &listing) {
  auto names = listDirectory(root, kBinfmtSupportDir,
                             [](const std::string &name) { return name.front() != '.'; });
  for (const auto &name : names) {
    std::string shown = std::string(kBinfmtSupportDir) + "/" + name;
    std::string resolved = resolveUnderRoot(root, shown);
    if (resolved.empty()) {
      addProblem(listing, inputProblem(shown, "cannot be resolved"), shown);
      continue;
    }
    addRegistrationFile(root, shown, resolved, name, parseBinfmtSupportFormat, listing);
  }
}

BinfmtInterpreter inspectInterpreter(const std::string &root, const std::string &interpreter) {
  BinfmtInterpreter result;
  result.resolvedPath = resolveUnderRoot(root, interpreter);
  if (result.resolvedPath.empty()) {
    result.error = inputProblem(interpreter, "no such file").message;
    return result;
  }
  ReadOptions options;
  options.root = root;
  std::string onDisk = joinRoot(root, result.resolvedPath);
  auto report = readElfFile(onDisk, options);
  if (!report) {
    // Named as the system under the root sees it, not by its path on this host.
    result.error = report.error().input == onDisk
                       ? inputProblem(result.resolvedPath, report.error().problem).message
                       : report.error().message;
    return result;
  }
  if (!report->packages.empty())
    result.package = report->packages.front().metadata;
  return result;
}

} // namespace

BinfmtListing listBinfmt(const std::string &root) {
  BinfmtListing listing;
  struct stat status;
  bool found = ::stat(root.c_str(), &status) == 0;
  if (!found || !S_ISDIR(status.st_mode)) {
    std::string problem = found ? std::string("not a directory") : errnoText(errno);
    addProblem(listing, Error{"--root: '" + root + "': " + problem}, root);
    return listing;
  }
  listKernel(root, listing);
  listBinfmtD(root, listing);
  listBinfmtSupport(root, listing);
  // Paths in messages are as seen inside the root; the root is named once, after them.
  if (StringRef(root).rtrim('/') != "")
    for (Error &problem : listing.problems)
      problem.message += " (under --root '" + root + "')";
  // qemu-user-static registers the same interpreter twice (binfmt.d and binfmt-support): read
  // each interpreter once.
  std::map<std::string, BinfmtInterpreter> seen;
  for (auto &registration : listing.registrations) {
    const std::string &interpreter = registration.entry.interpreter;
    auto found = seen.find(interpreter);
    if (found == seen.end())
      found = seen.emplace(interpreter, inspectInterpreter(root, interpreter)).first;
    registration.interpreter = found->second;
  }
  binfmt_detail::markPrecedence(listing);
  return listing;
}

} // namespace pkgnote
