// SPDX-License-Identifier: MIT
// Hard links of a file stamped in place (stamp_links.cpp): which of the names pkgnote was given
// still name the file, so that the stamped copy replaces them all.
#pragma once

#include <string>
#include <sys/stat.h>
#include <vector>

namespace pkgnote::detail {

// Of CANDIDATES, the names that are hard links of the file INFO describes (lstat gives a regular
// file with its device and inode: a symbolic link is not replaced, the file it names is) other
// than TARGET (the canonical name stamped), each once, in the order given.
std::vector<std::string> hardLinksToReplace(const struct stat &info,
                                            const std::vector<std::string> &candidates,
                                            const std::string &target);

// How many names INFO's file has beyond TARGET and the REPLACED ones.
std::size_t linksNotGiven(const struct stat &info, std::size_t replaced);

} // namespace pkgnote::detail
