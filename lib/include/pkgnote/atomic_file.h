// SPDX-License-Identifier: MIT
// Outputs are written to a temporary file beside the target and renamed over it, so that a
// failure never leaves a half-written or clobbered file.
#pragma once

#include "pkgnote/result.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote {

Status writeFileAtomically(const std::string &path, std::string_view contents);

// What filling a temporary file met: errnum 0 when all went well, else the errno and what was
// being done ("cannot write", "cannot keep the owner", "cannot keep extended attribute user.x").
struct FillFailure {
  int errnum = 0;
  std::string problem = "cannot write";
};

// The same for contents that do not sit in memory (pkgnote stamp copies a file of any size): FILL
// writes the temporary file through its descriptor and sets its owner and mode; the temporary
// file replaces PATH only when FILL and close succeed, and is removed otherwise.
Status writeFileAtomically(const std::string &path, const std::function<FillFailure(int fd)> &fill);

// The same, and the new file also replaces each name in HARDLINKS (other names of PATH's file:
// `pkgnote stamp` keeps hard links shared). Each gets a temporary name of its own in its directory
// (link(2) of the temporary file, so every name is prepared before any is replaced), then all are
// renamed over their names, PATH first. A failure before the renames leaves every name as it
// was; a rename of a hard link that fails after PATH was replaced is reported, naming that link.
Status writeFileAtomically(const std::string &path, const std::function<FillFailure(int fd)> &fill,
                           const std::vector<std::string> &hardLinks);

} // namespace pkgnote
