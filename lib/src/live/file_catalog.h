// SPDX-License-Identifier: MIT
// What one `pkgnote ps` run has learnt about files, so that each is read once however many
// processes map it: the notes of a file by its device and inode (the key /proc/PID/maps gives),
// and what stat(2) says of a path inside a root (by the root's device and inode and the path).
#pragma once

#include "core/core_image.h"
#include "pkgnote/elf_report.h"
#include "pkgnote/ps.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace pkgnote::detail {

struct FileKey {
  std::uint64_t device = 0, inode = 0;
  bool operator<(const FileKey &other) const {
    return std::tie(device, inode) < std::tie(other.device, other.inode);
  }
  bool operator==(const FileKey &other) const {
    return device == other.device && inode == other.inode;
  }
};

// A file's identity and notes, as the module report shows them.
struct FileFacts {
  bool module = false;       // an ELF executable or shared object (anything else is no module)
  std::uint16_t machine = 0; // e_machine
  ModuleReport report;       // elfArchitecture, buildId, package, extraPackages; path unset
  std::vector<std::string> problems;
  std::optional<std::string> error; // the file could not be read
  ProcessModule::Source source = ProcessModule::Source::File;
};

// stat(2) of a path: ERROR is 0 or the errno.
struct PathState {
  int error = 0;
  FileKey key;
  bool regular = false;
};

// Whether A and B are the same build: the same build-id (not empty) and the same notes.
bool sameBuild(const ModuleReport &a, const ModuleReport &b);

class FileCatalog {
public:
  const FileFacts *find(const FileKey &key) const;
  const FileFacts &remember(const FileKey &key, FileFacts facts);

  // stat(LOOKUP), cached under (ROOT, PATH): LOOKUP is PATH as pkgnote reaches it inside ROOT.
  const PathState &stat(const FileKey &root, const std::string &path, const std::string &lookup);

  // The notes of the file at PATH (a path pkgnote can open, not a process's).
  static FileFacts readFile(const std::string &path);

  // Set once opening /proc/PID/map_files/ was refused (it needs CAP_SYS_ADMIN): not tried again.
  bool mapFilesRefused = false;

private:
  std::map<FileKey, FileFacts> facts_;
  std::map<std::pair<FileKey, std::string>, PathState> paths_;
};

// The facts an ImageFacts reading gives (core_image.h), or its error.
FileFacts factsOf(llvm::Expected<std::optional<ImageFacts>> image);

} // namespace pkgnote::detail
