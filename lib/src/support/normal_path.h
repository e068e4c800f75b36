// SPDX-License-Identifier: MIT
// Lexical path normalisation, shared by the image reader (tar entry names resolved inside the
// image root) and the loader resolution in a directory root: no file system is asked, so a
// symbolic link is not followed (the callers want the name as written, made canonical).
#pragma once

#include <string>
#include <string_view>

namespace pkgnote::detail {

// PATH's components without empty and "." ones, each ".." dropping the one before it (never
// climbing above the start), joined by '/', without a leading '/': "./a//b/../c" and "/../a/c"
// are "a/c"; "" for the start itself.
std::string normalPath(std::string_view path);

} // namespace pkgnote::detail
