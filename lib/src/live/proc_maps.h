// SPDX-License-Identifier: MIT
// /proc/PID/maps, parsed: one Mapping per line. The kernel prints a mapping's path as the reader
// (pkgnote) sees it, relative to pkgnote's root, not the process's: a chrooted process's modules
// show under the chroot's directory; a file unlinked (or renamed over) since it was mapped ends
// in " (deleted)".
#pragma once

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

struct Mapping {
  std::uint64_t start = 0, end = 0;
  std::uint64_t offset = 0; // in the file, in bytes
  std::uint64_t device = 0; // makedev(major, minor) of the file's filesystem
  std::uint64_t inode = 0;  // 0 for anonymous and special mappings
  bool readable = false, executable = false;
  std::string path;     // without " (deleted)"; "[heap]", "" for anonymous ones
  bool deleted = false; // the kernel printed " (deleted)"

  // A mapping of a file (not anonymous, not [heap], [stack], [vdso], ...).
  bool fileBacked() const { return inode != 0 && !path.empty() && path.front() == '/'; }
};

// The mappings in TEXT (the whole of a maps file), in its order (by address). NAME is used in
// messages; a line that does not parse is an error naming its number.
llvm::Expected<std::vector<Mapping>> parseMaps(std::string_view text, const std::string &name);

} // namespace pkgnote::detail
