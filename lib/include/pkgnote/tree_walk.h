// SPDX-License-Identifier: MIT
// Expanding `pkgnote read` arguments into files: directories are walked (with --recursive) in
// sorted order, depth first; each file (device and inode) is listed once, under the first name
// the walk meets; symbolic links add files only with --follow-symlinks (a link that stays inside
// the tree names a file the walk lists anyway), and are then followed after the tree's own
// entries, in the order met; no directory is entered twice, so that symbolic link loops end.
// Hard links are told apart by readdir's inode number, without a stat per file.
#pragma once

#include "pkgnote/elf_reader.h"

#include <functional>
#include <string>
#include <vector>

namespace pkgnote {

struct WalkOptions {
  bool recursive = false;
  bool followSymlinks = false; // also follow links that leave the tree being walked
  // Asked about a directory met in a tree that holds an "oci-layout" entry: when it returns true
  // the walk leaves the directory to the caller (readArguments reads an OCI image layout met in a
  // tree as the image it is). Unset: every directory is walked.
  std::function<bool(const std::string &directory)> claimLayout = {};
};

// Calls SINK with one ReadInput per file to read, in argument order, as the walk finds them;
// files found under a directory are marked skipIfNotElf. Unreadable directories and bad arguments
// become inputs carrying their error.
void walkInputs(const std::vector<std::string> &arguments, const WalkOptions &options,
                const std::function<void(ReadInput)> &sink);

// Receives a further NAME of a file already listed under LISTEDAS.
using OtherNameSink = std::function<void(const std::string &name, const std::string &listedAs)>;

// walkInputs, and ONOTHERNAME called for each further name of a file already listed (a hard link
// the walk meets, or a file argument naming a listed file again, through a symbolic link or not);
// such a name is not listed. Without it, file arguments are listed as given, even twice.
// (`pkgnote stamp` keeps hard links shared through it.)
void walkInputs(const std::vector<std::string> &arguments, const WalkOptions &options,
                const std::function<void(ReadInput)> &sink, const OtherNameSink &onOtherName);

// walkInputs, collected.
std::vector<ReadInput> expandInputs(const std::vector<std::string> &arguments,
                                    const WalkOptions &options);

} // namespace pkgnote
