// SPDX-License-Identifier: MIT
// verifyDirectory (package_readers.h): a build root or an unpacked tree. Paths inside it are
// checked as they would be installed ("/usr/bin/x" for DIR/usr/bin/x); symbolic links are not
// followed (they are counted as skipped) and a file with several hard links is checked once.
// The files are read in parallel by `pkgnote read`'s reader.
#include "verify/package_readers.h"

#include "io/byte_source.h"
#include "pkgnote/elf_reader.h"
#include "verify/leaked_flags.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sys/stat.h>

namespace pkgnote::detail {
namespace {

namespace fs = std::filesystem;

struct TreeFile {
  std::string inside; // "/usr/bin/x"
  std::string path;   // as opened
};

// The regular files under ROOT, sorted by their path inside it, each inode once.
llvm::Expected<std::vector<TreeFile>> listTree(const std::string &root, PackageChecker &checker) {
  std::vector<TreeFile> files;
  std::set<std::pair<dev_t, ino_t>> seen;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, error), end;
  for (; !error && it != end; it.increment(error)) {
    fs::file_status status = it->symlink_status(error);
    if (error)
      break;
    if (fs::is_symlink(status)) {
      checker.skip();
      continue;
    }
    if (!fs::is_regular_file(status))
      continue;
    struct stat st;
    std::string path = it->path().string();
    if (::lstat(path.c_str(), &st) != 0 || !seen.insert({st.st_dev, st.st_ino}).second)
      continue;
    files.push_back({"/" + fs::relative(it->path(), root).generic_string(), path});
  }
  if (error)
    return inputError(root, error.message());
  std::sort(files.begin(), files.end(),
            [](const TreeFile &a, const TreeFile &b) { return a.inside < b.inside; });
  return files;
}

// FILE's verdict leaked-flags when a line of it (up to kMaxLeakScanBytes) leaks the note's flags;
// a file that cannot be read is the file's error.
void scanFileForLeakedFlags(const TreeFile &file, PackageChecker &checker) {
  std::ifstream in(file.path, std::ios::binary);
  std::string text;
  char buffer[16384];
  while (in && text.size() < kMaxLeakScanBytes) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad() || (!in && !in.eof())) {
    checker.fileError(file.inside, "cannot read it");
    return;
  }
  if (std::optional<std::string> line = findLeakedFlags(text))
    checker.leakedFlags(file.inside, std::move(*line));
}

} // namespace

llvm::Error verifyElfFile(const std::string &path, PackageChecker &checker) {
  if (checker.expected().fields.empty())
    return inputError(path, "a file needs the expected metadata (--rpm, or --type, --name, "
                            "--version, --architecture, --set KEY=VALUE)");
  Result<FileReport> report = readElfFile(path);
  if (!report)
    return inputError(path, problemAbout(report.error(), path));
  if (report->kind != ElfKind::Executable && report->kind != ElfKind::SharedObject) {
    checker.skip();
    return llvm::Error::success();
  }
  checker.judge(path, *report);
  return llvm::Error::success();
}

llvm::Error verifyDirectory(const std::string &path, PackageChecker &checker, unsigned jobs) {
  if (checker.expected().fields.empty())
    return inputError(path, "a directory needs the expected metadata (--rpm, or --type, --name, "
                            "--version, --architecture, --set KEY=VALUE)");
  auto files = listTree(path, checker);
  if (!files)
    return files.takeError();
  std::vector<ReadInput> inputs;
  for (const TreeFile &file : *files)
    inputs.push_back(ReadInput{file.path, true, std::nullopt});
  ReadOptions options;
  options.root = path;
  readElfFiles(inputs, jobs, options,
               [&](std::size_t index, const Result<std::optional<FileReport>> &outcome) {
                 const std::string &inside = (*files)[index].inside;
                 if (!outcome) {
                   checker.fileError(inside, problemAbout(outcome.error(), (*files)[index].path));
                   return;
                 }
                 if (!*outcome) { // not ELF
                   if (recordsBuildFlags(inside) && !checker.skippedByPath(inside))
                     scanFileForLeakedFlags((*files)[index], checker);
                   return;
                 }
                 ElfKind kind = (*outcome)->kind;
                 if ((kind != ElfKind::Executable && kind != ElfKind::SharedObject) ||
                     checker.skippedByPath(inside)) {
                   checker.skip();
                   return;
                 }
                 checker.judge(inside, **outcome);
               });
  return llvm::Error::success();
}

} // namespace pkgnote::detail
