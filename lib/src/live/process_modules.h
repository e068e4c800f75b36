// SPDX-License-Identifier: MIT
// The modules of one live process, from its mappings: which mapped files are modules, the notes
// each runs (read from the file at its path when that is the mapped file, else from the mapping
// or the process's memory), and what is installed at its path now.
#pragma once

#include "live/file_catalog.h"
#include "live/proc_maps.h"
#include "pkgnote/ps.h"

#include <optional>
#include <string>
#include <vector>

namespace pkgnote::detail {

// How pkgnote reaches a process's files.
struct ProcessView {
  int pid = 0;
  std::string procDir; // "/proc/PID"
  FileKey root;        // the process's root directory
  // Maps (and /proc/PID/exe) show paths from pkgnote's root: a chrooted process's begin with its
  // root's path, which is cut off to give the path the process sees. Empty for pkgnote's root.
  std::string mapsPrefix;
  // Where the process's paths are looked up: "" (pkgnote's root) or "/proc/PID/root".
  std::string lookupPrefix;
  int memFd = -1; // /proc/PID/mem, opened on first need (-2: could not be opened)
};

// PATH from maps as the process sees it (VIEW.mapsPrefix cut off when it starts with it).
std::string processPath(const ProcessView &view, const std::string &path);

// The modules of the process whose mappings are MAPPINGS, in address order. EXE: the device and
// inode of its executable, so that modules of another machine are marked as a guest's.
std::vector<ProcessModule> modulesOf(ProcessView &view, const std::vector<Mapping> &mappings,
                                     const std::optional<FileKey> &exe, FileCatalog &catalog,
                                     std::vector<std::string> &warnings);

} // namespace pkgnote::detail
