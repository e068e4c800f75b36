// SPDX-License-Identifier: MIT
// Outputs are written to a temporary file beside the target and renamed over it, so that a
// failure never leaves a half-written or clobbered file.
#pragma once

#include "pkgnote/result.h"

#include <functional>
#include <string>
#include <string_view>

namespace pkgnote {

Status writeFileAtomically(const std::string &path, std::string_view contents);

// What filling a temporary file met: errnum 0 when all went well, else the errno and what was
// being done ("cannot write", "cannot keep the owner").
struct FillFailure {
  int errnum = 0;
  const char *problem = "cannot write";
};

// The same for contents that do not sit in memory (pkgnote stamp copies a file of any size): FILL
// writes the temporary file through its descriptor and sets its owner and mode; the temporary
// file replaces PATH only when FILL and close succeed, and is removed otherwise.
Status writeFileAtomically(const std::string &path, const std::function<FillFailure(int fd)> &fill);

} // namespace pkgnote
