// SPDX-License-Identifier: MIT
// Stacking scanned layers into the image's final filesystem with the OCI rules: each layer's
// whiteouts (.wh.NAME deletes NAME and what is under it, .wh..wh..opq empties its directory)
// apply to the layers below it only, whatever their place in the layer's tar; then the layer's
// entries replace what was at their paths (a non-directory also removes what was under it). Hard
// links are the file they link to when they are made, and one file is reported once.
#pragma once

#include "image/layer_scan.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace pkgnote::detail {

// A regular file of the final filesystem: the layer (index into the stack) and entry that
// supplied its bytes (null for an entry that is only a path and a kind), and its path (for a file
// with several hard-linked names, the first name in a sorted, depth-first walk: the one `pkgnote
// read -r` of the unpacked rootfs reports).
struct FinalFile {
  std::string path;
  std::size_t layer = 0;
  const LayerEntry *entry = nullptr;
};

// A path of the final filesystem (relative, no leading '/'): its kind (a hard link is the file it
// links to) and the entry that supplied it (null for an entry that is only a path and a kind).
struct FinalNode {
  EntryKind kind = EntryKind::Directory;
  std::size_t layer = 0;
  const LayerEntry *content = nullptr;
};

// Every path of the final filesystem, for the loader resolution inside the image (image_root.h).
using FinalTree = std::map<std::string, FinalNode>;

// The regular files of LAYERS stacked bottom first, in sorted, depth-first path order; with
// REPORTABLEONLY, only those with something to report (an ELF report or an error), so that a
// layer of a million plain files costs no list of them. TREE, when given, receives every path of
// the final filesystem (`read --deps` only: it is a map of every path).
std::vector<FinalFile> stackLayers(const std::vector<const LayerScan *> &layers,
                                   FinalTree *tree = nullptr, bool reportableOnly = false);

} // namespace pkgnote::detail
