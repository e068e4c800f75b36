// SPDX-License-Identifier: MIT
// The directories a root's /etc/ld.so.conf names, with its `include`s (glob patterns, relative
// ones taken from the including file's directory), in the order ldconfig reads them: without an
// ld.so.cache, these stand for what the cache would hold, searched in that order.
#pragma once

#include "resolve/root_view.h"

#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

// One meaningful line of an ld.so.conf: a directory, or an `include` of a pattern.
struct LdSoConfLine {
  enum class Kind { Directory, Include };
  Kind kind = Kind::Directory;
  std::string value;
  bool operator==(const LdSoConfLine &other) const {
    return kind == other.kind && value == other.value;
  }
};

// The lines of TEXT as ldconfig reads them: comments (from '#') and blank lines dropped,
// "include PATTERN..." (each pattern), "hwcap" lines ignored, and a directory line's first word
// (ldconfig also accepts "DIR=TYPE", of libc5 days: the "=TYPE" is dropped).
std::vector<LdSoConfLine> parseLdSoConf(std::string_view text);

// Whether NAME matches the glob PATTERN ('*', '?', '[...]'), as fnmatch(3) without flags.
bool globMatches(const std::string &pattern, const std::string &name);

// The directories of the root's /etc/ld.so.conf, includes expanded (in sorted glob order, as
// glob(3) gives them), each directory once, in first-seen order. Includes nest at most 16 deep.
std::vector<std::string> ldSoConfDirectories(RootView &root);

} // namespace pkgnote::detail
