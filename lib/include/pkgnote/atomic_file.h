// SPDX-License-Identifier: MIT
// Outputs are written to a temporary file beside the target and renamed over it, so that a
// failure never leaves a half-written or clobbered file.
#pragma once

#include "pkgnote/result.h"

#include <string>
#include <string_view>

namespace pkgnote {

Status writeFileAtomically(const std::string &path, std::string_view contents);

} // namespace pkgnote
