// SPDX-License-Identifier: MIT
// What every package reader (rpm, deb, directory) does with the files it meets: decide from the
// path and the ELF header whether a file is checked or skipped, judge its note against the
// expected keys, and count. The readers only find files and hand them here, so the three agree
// on what is checked and how it is counted.
#pragma once

#include "pkgnote/elf_report.h"
#include "pkgnote/verify.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pkgnote::detail {

// Members read from one package before it is refused: a hostile archive of a million empty
// members must end in bounded time with one message. Debian's largest packages hold about 100,000.
inline constexpr std::uint64_t kMaxPackageMembers = std::uint64_t{1} << 19;

// What the first bytes of a file say about checking it.
enum class ElfClassification { NotElf, Checked, Skipped, Truncated };

// From the first bytes of a file: not ELF, ET_EXEC/ET_DYN or a PE image ("MZ") (checked), or
// another ELF type such as ET_REL or ET_CORE (skipped).
ElfClassification classifyElf(std::string_view head);

// A member's name as a path inside the package: "./usr/bin/x" and "usr/bin/x" become "/usr/bin/x".
std::string packagePath(std::string_view memberName);

class PackageChecker {
public:
  PackageChecker(std::string package, const VerifyOptions &options, const VerdictSink &sink)
      : options_(options), sink_(sink) {
    summary_.package = std::move(package);
  }

  // The expected keys from the package's header (the overrides are merged in here); a directory
  // passes an empty header.
  void setExpected(const PackageMetadata &header) {
    expected_ = mergeExpected(header, options_.overrides);
  }
  const PackageMetadata &expected() const { return expected_; }

  // Whether PATH (inside the package) is skipped whatever it holds: /usr/lib/debug and --ignore.
  bool skippedByPath(const std::string &path) const;

  void skip() { ++summary_.skipped; }
  // A checked file whose reader gave REPORT (or failed).
  void judge(const std::string &path, const FileReport &report);
  // The same for the reader's outcome: an error becomes the file's error.
  void judge(const std::string &path, llvm::Expected<FileReport> report);
  // A text file (recordsBuildFlags) whose LINE leaks the note's flags (leaked_flags.h).
  void leakedFlags(const std::string &path, std::string line);
  // A checked file that could not be read; MESSAGE does not name the package.
  void fileError(const std::string &path, const std::string &message);
  // The package itself could not be read (from here on); the first error is kept.
  void packageError(llvm::Error error);

  const PackageSummary &summary() const { return summary_; }
  const std::string &package() const { return summary_.package; }

private:
  const VerifyOptions &options_;
  const VerdictSink &sink_;
  PackageMetadata expected_;
  PackageSummary summary_;
};

} // namespace pkgnote::detail
