// SPDX-License-Identifier: MIT
// Skipping, judging and counting the files of a package (package_checker.h).
#include "verify/package_checker.h"

#include "io/byte_source.h"

#include "llvm/BinaryFormat/ELF.h"

#include <cstring>
#include <fnmatch.h>

namespace pkgnote::detail {

ElfClassification classifyElf(std::string_view head) {
  using namespace llvm::ELF;
  // "MZ": a PE image (UAPI.8's .pkgnote) is checked as ELF programs and libraries are; the reader
  // tells one from a DOS program, which is then passed over.
  if (head.size() >= 2 && head[0] == 'M' && head[1] == 'Z')
    return ElfClassification::Checked;
  if (head.size() < 4 || std::memcmp(head.data(), ElfMagic, 4) != 0)
    return ElfClassification::NotElf;
  if (head.size() < 18) // e_ident and e_type
    return ElfClassification::Truncated;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  unsigned type = byte(EI_DATA) == ELFDATA2MSB ? (byte(16) << 8 | byte(17))
                                                : (byte(17) << 8 | byte(16));
  return type == ET_EXEC || type == ET_DYN ? ElfClassification::Checked
                                           : ElfClassification::Skipped;
}

std::string packagePath(std::string_view memberName) {
  while (memberName.substr(0, 2) == "./")
    memberName.remove_prefix(2);
  if (memberName == ".")
    memberName = {};
  std::string path = memberName.substr(0, 1) == "/" ? "" : "/";
  return path.append(memberName);
}

bool PackageChecker::skippedByPath(const std::string &path) const {
  // Detached debug info is ET_EXEC/ET_DYN but never carries a note of its own.
  if (path.rfind("/usr/lib/debug/", 0) == 0)
    return true;
  // A pattern without '/' ("ls", "*.so.*") also matches the file name alone: what a user who
  // has not read that paths are absolute expects.
  std::string name = path.substr(path.rfind('/') + 1);
  for (const std::string &glob : options_.ignore)
    if (::fnmatch(glob.c_str(), path.c_str(), 0) == 0 ||
        (glob.find('/') == std::string::npos && ::fnmatch(glob.c_str(), name.c_str(), 0) == 0))
      return true;
  return false;
}

void PackageChecker::judge(const std::string &path, llvm::Expected<FileReport> report) {
  if (!report) {
    fileError(path, problemAbout(report.takeError(), path));
    return;
  }
  judge(path, *report);
}

void PackageChecker::judge(const std::string &path, const FileReport &report) {
  std::optional<PackageMetadata> found;
  if (!report.packages.empty())
    found = report.packages.front().metadata;
  FileVerdict verdict = judgeNote(expected_, found);
  verdict.package = summary_.package;
  verdict.path = path;
  ++summary_.checked;
  ++(verdict.verdict == Verdict::Ok          ? summary_.ok
     : verdict.verdict == Verdict::Unstamped ? summary_.unstamped
                                             : summary_.mismatch);
  sink_(verdict);
}

void PackageChecker::leakedFlags(const std::string &path, std::string line) {
  FileVerdict verdict;
  verdict.package = summary_.package;
  verdict.path = path;
  verdict.verdict = Verdict::LeakedFlags;
  verdict.expected = expected_;
  verdict.leaked = std::move(line);
  ++summary_.leakedFlags;
  sink_(verdict);
}

void PackageChecker::fileError(const std::string &path, const std::string &message) {
  FileVerdict verdict;
  verdict.package = summary_.package;
  verdict.path = path;
  verdict.verdict = Verdict::Error;
  verdict.expected = expected_;
  verdict.error = inputProblem(summary_.package, path + ": " + message).message;
  ++summary_.checked;
  ++summary_.errors;
  sink_(verdict);
}

void PackageChecker::packageError(llvm::Error error) {
  std::string message = problemAbout(std::move(error), summary_.package);
  if (!summary_.error)
    summary_.error = inputProblem(summary_.package, message);
}

} // namespace pkgnote::detail
