// SPDX-License-Identifier: MIT
// The fields of a binary package's DEBIAN/control file that say what its notes must carry.
#pragma once

#include "pkgnote/metadata.h"

#include "llvm/Support/Error.h"

#include <string_view>

namespace pkgnote::detail {

// From CONTROL (the control file's text): type deb, name (Source without its parenthesised
// version, else Package), version (Version), architecture (Architecture). An error names the
// missing or malformed field.
llvm::Expected<PackageMetadata> debExpectedMetadata(std::string_view control);

} // namespace pkgnote::detail
