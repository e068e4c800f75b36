// SPDX-License-Identifier: MIT
// Hard links and `pkgnote stamp`: a file is replaced by a rename, which gives one name a new
// inode; every other name of the old inode would keep the old bytes, and a tree shipped with hard
// links (rpm and dpkg keep them) would hold two files where it had one. So the walk collects each
// file's other names (tree_walk.h's OtherNameSink) before anything is stamped, and stampFile gives
// those that still name the same inode the stamped file too (atomic_file.h). Names outside what
// pkgnote was given cannot be found (an inode has no list of its names): stampFile counts them
// from st_nlink, and the tool warns.
#include "stamp_links.h"

#include "pkgnote/stamp.h"
#include "pkgnote/tree_walk.h"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace pkgnote {
namespace detail {
namespace {

// NAME's canonical path, or NAME when it cannot be resolved.
std::string canonical(const std::string &name) {
  char *resolved = ::realpath(name.c_str(), nullptr);
  if (!resolved)
    return name;
  std::string path = resolved;
  std::free(resolved);
  return path;
}

} // namespace

std::vector<std::string> hardLinksToReplace(const struct stat &info,
                                            const std::vector<std::string> &candidates,
                                            const std::string &target) {
  std::vector<std::string> links, canonicalNames{target};
  for (const std::string &name : candidates) {
    struct stat st;
    if (::lstat(name.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != info.st_dev ||
        st.st_ino != info.st_ino)
      continue;
    std::string path = canonical(name);
    if (std::find(canonicalNames.begin(), canonicalNames.end(), path) != canonicalNames.end())
      continue; // TARGET itself, or a name given twice
    canonicalNames.push_back(path);
    links.push_back(name);
  }
  return links;
}

std::size_t linksNotGiven(const struct stat &info, std::size_t replaced) {
  std::size_t others = info.st_nlink > 1 ? static_cast<std::size_t>(info.st_nlink - 1) : 0;
  return others > replaced ? others - replaced : 0;
}

} // namespace detail

std::vector<StampInput> collectStampInputs(const std::vector<std::string> &arguments,
                                           bool recursive) {
  std::vector<StampInput> inputs;
  std::map<std::string, std::size_t> listed; // name listed -> index in INPUTS
  walkInputs(
      arguments, WalkOptions{recursive, false},
      [&](ReadInput input) {
        if (!input.error)
          listed.emplace(input.path, inputs.size());
        inputs.push_back(StampInput{std::move(input), {}});
      },
      [&](const std::string &name, const std::string &listedAs) {
        auto found = listed.find(listedAs);
        if (found != listed.end())
          inputs[found->second].hardLinks.push_back(name);
      });
  return inputs;
}

} // namespace pkgnote
