// SPDX-License-Identifier: MIT
// `pkgnote verify`: proves that every ELF file a package ships (an .rpm, a .deb, or a directory
// such as a build root) carries that package's note. The expected keys come from the package's
// header (or from generate's metadata options), and only those keys are compared.
#pragma once

#include "pkgnote/metadata.h"
#include "pkgnote/result.h"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote {

// LeakedFlags is a text file's verdict: it records build flags (rbconfig.rb, a .pc file, ...) and
// names the build's note file or carries the note's link flags, which break every later build
// that reads it (the file is gone). Counted like Unstamped.
enum class Verdict { Ok, Unstamped, Mismatch, Error, LeakedFlags };

// "ok", "unstamped", "mismatch", "error", "leaked-flags".
std::string_view verdictName(Verdict verdict);

// The outcome for one checked file (ELF ET_EXEC or ET_DYN) of a package, or for a text file that
// leaks the note's flags.
struct FileVerdict {
  std::string package; // the package file or directory, as given
  std::string path;    // inside the package, absolute: "/usr/bin/qemu-aarch64-static"
  Verdict verdict = Verdict::Ok;
  PackageMetadata expected;
  std::optional<PackageMetadata> found; // the note, when there is one
  std::vector<std::string> differences; // mismatch: the expected keys whose values differ
  std::string error;                    // error: the message, naming the package and the file
  std::string leaked;                   // leaked-flags: the line (trimmed, at most 240 bytes)
};

// Counts for one package, as the human summary prints them. `error` is set when the package
// itself could not be read (entirely or from some point on); the files before are still counted.
// `checked` counts ELF files (ok + unstamped + mismatch + errors); `leakedFlags` the text files
// with the verdict leaked-flags, apart.
struct PackageSummary {
  std::string package;
  std::size_t checked = 0, ok = 0, unstamped = 0, mismatch = 0, skipped = 0, errors = 0;
  std::size_t leakedFlags = 0;
  std::optional<Error> error;
};

struct VerifyOptions {
  // From generate's metadata options: required for a directory, overrides a package's header.
  std::optional<PackageMetadata> overrides;
  // fnmatch(3) patterns (without FNM_PATHNAME: `*` crosses `/`) matched against the absolute path
  // inside the package ("/usr/bin/ls"), and, for a pattern without '/', against the file name
  // too; a matching file is skipped.
  std::vector<std::string> ignore;
  // Packages (or files of a directory) checked in parallel; 0: one per core.
  unsigned jobs = 0;
};

using VerdictSink = std::function<void(const FileVerdict &)>;

// Verifies one PATH (.rpm or .deb, recognised by content, a directory, or one ELF file checked
// against the overrides under its own path), calling SINK for every checked file in package order.
PackageSummary verifyPath(const std::string &path, const VerifyOptions &options,
                          const VerdictSink &sink);

// Verifies PATHS on up to options.jobs threads; SINK and DONE are called on the calling thread,
// in argument order: the verdicts of a package, then its summary.
void verifyPaths(const std::vector<std::string> &paths, const VerifyOptions &options,
                 const VerdictSink &sink, const std::function<void(const PackageSummary &)> &done);

// The expected keys: HEADER's, each replaced (or, when absent, appended) by OVERRIDES's.
PackageMetadata mergeExpected(const PackageMetadata &header,
                              const std::optional<PackageMetadata> &overrides);

// The verdict for a file whose note is FOUND (std::nullopt: none): ok, unstamped, or mismatch
// with the differing keys filled in.
FileVerdict judgeNote(const PackageMetadata &expected, const std::optional<PackageMetadata> &found);

// One compact JSON object, pkgnote-verify(1)'s schema:
// {"package":…,"path":…,"verdict":…,"expected":{…},"found":{…},"differences":[…],"error":…}
std::string verdictToJson(const FileVerdict &verdict);

// One line for a file that is not ok, e.g. "emu.rpm: /usr/bin/emu: mismatch: version expected
// '1.0-1', found '0.9-1'" (without newline).
std::string verdictToText(const FileVerdict &verdict);

} // namespace pkgnote
