// SPDX-License-Identifier: MIT
// stackLayers (overlay.h) over a PathTrie of the paths present so far: whiteouts and replaced
// directories remove what is under a path by one store, and each key remembers its entry by one
// number (its index among all the layers' entries), so that memory per entry stays a few dozen
// bytes beside the scan's own.
#include "image/overlay.h"

#include "image/path_trie.h"

#include <algorithm>

namespace pkgnote::detail {
namespace {

// Component-wise order: the order a sorted, depth-first walk meets paths ('/' sorts first).
bool walkOrder(const std::string &a, const std::string &b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i])
      continue;
    if (a[i] == '/')
      return true;
    if (b[i] == '/')
      return false;
    return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  }
  return a.size() < b.size();
}

void applyLayer(FinalTree &final, const LayerScan &layer, std::size_t index) {
  PathTrie &tree = final.trie();
  const LayerEntries &entries = layer.entries;
  // Whiteouts first: they hide the layers below, never this layer's own entries.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EntryView entry = entries.view(i);
    if (entry.kind == EntryKind::Opaque) {
      tree.clearUnder(entry.path);
    } else if (entry.kind == EntryKind::Whiteout && !entry.path.empty()) {
      tree.clearUnder(entry.path);
      tree.erase(entry.path);
    }
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EntryView entry = entries.view(i);
    if (entry.kind == EntryKind::Opaque || entry.kind == EntryKind::Whiteout || entry.path.empty())
      continue;
    EntryKind kind = entry.kind;
    std::uint32_t content = final.number(index, i);
    if (kind == EntryKind::Directory) {
      PathTrie::Id found = tree.find(entry.path);
      if (found != PathTrie::kNone && tree.kind(found) == EntryKind::Directory)
        continue; // a directory over a directory merges
      tree.set(entry.path, kind, content);
      continue;
    }
    if (kind == EntryKind::HardLink) {
      PathTrie::Id target = tree.find(entry.detail ? entry.detail->target : std::string());
      if (target == PathTrie::kNone || tree.kind(target) != EntryKind::File)
        continue; // a link to nothing (or to a non-file) makes no regular file
      kind = EntryKind::File;
      content = tree.content(target);
    }
    tree.clearUnder(entry.path);
    tree.set(entry.path, kind, content);
  }
}

bool reportable(const LayerEntry *entry) {
  return entry && (entry->report || !entry->error.empty());
}

} // namespace

FinalTree::FinalTree(const std::vector<const LayerScan *> &layers) : layers_(layers) {
  for (const LayerScan *layer : layers) {
    base_.push_back(static_cast<std::uint32_t>(total_));
    total_ += layer->entries.size();
  }
}

std::size_t FinalTree::layerOf(std::uint32_t number) const {
  return static_cast<std::size_t>(std::upper_bound(base_.begin(), base_.end(), number) -
                                  base_.begin()) -
         1;
}

EntryView FinalTree::entry(std::uint32_t number) const {
  std::size_t layer = layerOf(number);
  return layers_[layer]->entries.view(number - base_[layer]);
}

FinalNode FinalTree::node(PathTrie::Id id) const {
  std::uint32_t content = trie_.content(id);
  return FinalNode{trie_.kind(id), layerOf(content), entry(content).detail};
}

std::optional<FinalNode> FinalTree::find(std::string_view path) const {
  PathTrie::Id id = trie_.find(path);
  if (id == PathTrie::kNone)
    return std::nullopt;
  return node(id);
}

bool FinalTree::hasUnder(std::string_view path) const {
  PathTrie::Id id = trie_.locate(path);
  if (id == PathTrie::kNone)
    return false;
  for (PathTrie::Id child : trie_.children(id))
    if (keysOrAbove_[child])
      return true;
  return false;
}

std::set<std::string> FinalTree::names(std::string_view path) const {
  std::set<std::string> out;
  PathTrie::Id id = trie_.locate(path);
  if (id == PathTrie::kNone)
    return out;
  for (PathTrie::Id child : trie_.children(id))
    if (keysOrAbove_[child])
      out.emplace(trie_.name(child));
  return out;
}

std::vector<FinalFile> stackLayers(const std::vector<const LayerScan *> &layers,
                                   FinalTree *finalTree, bool reportableOnly) {
  FinalTree final(layers);
  if (!final.fits())
    return {}; // four billion entries: no layer set of this world
  for (std::size_t i = 0; i < layers.size(); ++i)
    applyLayer(final, *layers[i], i);
  const PathTrie &tree = final.trie();
  struct Found {
    FinalFile file;
    std::uint32_t content;
  };
  std::vector<Found> files;
  tree.forEachKey([&](PathTrie::Id id) {
    if (tree.kind(id) != EntryKind::File)
      return;
    std::uint32_t content = tree.content(id);
    EntryView entry = final.entry(content);
    if (reportableOnly && !reportable(entry.detail))
      return;
    files.push_back({FinalFile{tree.path(id), final.layerOf(content), entry.detail}, content});
  });
  std::sort(files.begin(), files.end(),
            [](const Found &a, const Found &b) { return walkOrder(a.file.path, b.file.path); });
  // Hard-linked names share their content entry: the first in walk order stands for all.
  std::vector<bool> seen(final.total(), false);
  std::vector<FinalFile> unique;
  for (Found &found : files)
    if (!seen[found.content]) {
      seen[found.content] = true;
      unique.push_back(std::move(found.file));
    }
  if (finalTree) {
    final.finish();
    *finalTree = std::move(final);
  }
  return unique;
}

} // namespace pkgnote::detail
