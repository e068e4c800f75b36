// SPDX-License-Identifier: MIT
// Stacking scanned layers into the image's final filesystem with the OCI rules: each layer's
// whiteouts (.wh.NAME deletes NAME and what is under it, .wh..wh..opq empties its directory)
// apply to the layers below it only, whatever their place in the layer's tar; then the layer's
// entries replace what was at their paths (a non-directory also removes what was under it). Hard
// links are the file they link to when they are made, and one file is reported once.
#pragma once

#include "image/layer_scan.h"
#include "image/path_trie.h"

#include <cstddef>
#include <optional>
#include <set>
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

// Every path of the final filesystem, for the loader resolution inside the image (image_root.h):
// the stacking's own trie, kept (valid while the layers' scans are).
class FinalTree {
public:
  FinalTree() = default;
  // An empty tree over LAYERS' entries, for stackLayers to fill.
  explicit FinalTree(const std::vector<const LayerScan *> &layers);

  // The node at PATH (relative, no leading '/') when it is a path of the final filesystem.
  std::optional<FinalNode> find(std::string_view path) const;
  // Whether some path of the final filesystem is under PATH ("" for the root).
  bool hasUnder(std::string_view path) const;
  // The names directly under PATH that are paths or have paths under them.
  std::set<std::string> names(std::string_view path) const;

  // For stackLayers: entries numbered one after the other, entry I of layer L as number(L, I)
  // (false from fits() past four billion), the trie they are stacked into, and the nodes.
  bool fits() const { return total_ < UINT32_MAX; }
  std::size_t total() const { return total_; }
  std::uint32_t number(std::size_t layer, std::size_t index) const {
    return base_[layer] + static_cast<std::uint32_t>(index);
  }
  std::size_t layerOf(std::uint32_t number) const;
  EntryView entry(std::uint32_t number) const;
  PathTrie &trie() { return trie_; }
  const PathTrie &trie() const { return trie_; }
  FinalNode node(PathTrie::Id id) const;
  // Once stacked: what hasUnder and names need.
  void finish() { keysOrAbove_ = trie_.keysOrAbove(); }

private:
  std::vector<const LayerScan *> layers_;
  std::vector<std::uint32_t> base_;
  std::uint64_t total_ = 0;
  PathTrie trie_;
  std::vector<bool> keysOrAbove_;
};

// The regular files of LAYERS stacked bottom first, in sorted, depth-first path order; with
// REPORTABLEONLY, only those with something to report (an ELF report or an error), so that a
// layer of a million plain files costs no list of them. TREE, when given, receives every path of
// the final filesystem (`read --deps`).
std::vector<FinalFile> stackLayers(const std::vector<const LayerScan *> &layers,
                                   FinalTree *tree = nullptr, bool reportableOnly = false);

} // namespace pkgnote::detail
