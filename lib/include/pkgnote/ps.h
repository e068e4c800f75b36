// SPDX-License-Identifier: MIT
// `pkgnote ps`: the package builds live processes run, read from /proc without stopping them
// (docs/ps.md). A process's modules are the ELF files it maps, as a core's modules are
// (elf_report.h); for each, the note as mapped (which stays readable after an upgrade replaced
// or removed the file) and, when the file now at its path differs, that file's note. Read only:
// /proc/PID/maps, map_files, mem and root; no ptrace, no signal, nothing written.
#pragma once

#include "pkgnote/cyclonedx.h"
#include "pkgnote/elf_report.h"
#include "pkgnote/result.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote {

struct ProcessModule {
  // Where the running module's notes were read: the file at its path (shown to be the mapped
  // file by its device and inode), the mapping itself (/proc/PID/map_files, for root), or the
  // process's memory (/proc/PID/mem).
  enum class Source { File, Mapping, Memory };
  // What is at the module's path now: the mapped file itself, or a replaced file carrying the
  // same build (same build-id and notes); another build; nothing; or it could not be looked at.
  enum class Installed { Same, Differs, Gone, Unknown };

  ModuleReport module; // path as the process sees it (inside its root); module.source unused
  Source source = Source::File;
  bool deleted = false; // the mapped file was removed or replaced at its path
  Installed installed = Installed::Same;
  ModuleReport installedFile; // Installed::Differs: the file now at the path
  bool guest = false;         // mapped by a qemu-user emulator for its guest (another machine)

  // The running build is not what is installed: the file was removed or replaced by another
  // build (or, replaced, what is there now could not be read).
  bool stale() const { return deleted && installed != Installed::Same; }
};

struct ProcessReport {
  int pid = 0;
  std::string comm;                   // /proc/PID/comm
  std::string exe;                    // the executable's path, as the process sees it
  std::string root;                   // the process's root when not pkgnote's ("/tmp/chroot")
  std::vector<ProcessModule> modules; // in address order, the executable's own among them
  std::optional<std::string> error;   // the process could not be read; only pid and comm are set
  std::vector<std::string> warnings;  // about modules whose notes could not all be read

  bool stale() const;
};

struct PsOptions {
  std::vector<int> pids; // the processes to read; empty: every process (kernel threads left out)
};

// Reads the processes PsOptions names (all, by default) in pid order and calls EMIT once per
// process. A process that cannot be read (EACCES) is emitted with its error; one that exits
// while it is read is skipped, as is a named one that does not exist (then with an error). The
// note of a file mapped by several processes (one device and inode) is read once per call. An
// error only when /proc cannot be listed.
Status readProcesses(const PsOptions &options,
                     const std::function<void(const ProcessReport &)> &emit);

// One compact JSON object (no newline), FORMAT.md's `pkgnote ps` record.
std::string processToJson(const ProcessReport &process);

// "PID COMM EXE" and one line per module ("running X, installed Y" for a stale one), ending in a
// newline.
std::string processToText(const ProcessReport &process);

// One CycloneDX document of the running modules of PROCESSES, read's conventions (cyclonedx.h),
// each occurrence naming its process ("process 123 (sshd)").
std::string processesToCycloneDx(const std::vector<ProcessReport> &processes,
                                 const CycloneDxOptions &options);

} // namespace pkgnote
