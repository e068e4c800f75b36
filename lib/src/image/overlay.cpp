// SPDX-License-Identifier: MIT
// stackLayers (overlay.h) over an ordered map of the paths present so far: a directory's
// descendants are the keys after "DIR/" that start with it, so a whiteout removes a range.
#include "image/overlay.h"

#include <algorithm>
#include <map>
#include <set>

namespace pkgnote::detail {
namespace {

using Node = FinalNode; // a file's supplying entry is the target's for a hard link
using Tree = FinalTree;

// Removes DIR's descendants (all of the tree for the root, "").
void removeUnder(Tree &tree, const std::string &dir) {
  if (dir.empty()) {
    tree.clear();
    return;
  }
  std::string prefix = dir + "/";
  auto first = tree.lower_bound(prefix);
  auto last = first;
  while (last != tree.end() && last->first.compare(0, prefix.size(), prefix) == 0)
    ++last;
  tree.erase(first, last);
}

void removeWithUnder(Tree &tree, const std::string &path) {
  removeUnder(tree, path);
  tree.erase(path);
}

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

void applyLayer(Tree &tree, const LayerScan &layer, std::size_t index) {
  // Whiteouts first: they hide the layers below, never this layer's own entries.
  for (const LayerEntry &entry : layer.entries) {
    if (entry.kind == EntryKind::Opaque)
      removeUnder(tree, entry.path);
    else if (entry.kind == EntryKind::Whiteout && !entry.path.empty())
      removeWithUnder(tree, entry.path);
  }
  for (const LayerEntry &entry : layer.entries) {
    if (entry.kind == EntryKind::Opaque || entry.kind == EntryKind::Whiteout || entry.path.empty())
      continue;
    Node node{entry.kind, index, &entry};
    if (entry.kind == EntryKind::Directory) {
      auto found = tree.find(entry.path);
      if (found != tree.end() && found->second.kind == EntryKind::Directory)
        continue; // a directory over a directory merges
      tree.erase(entry.path);
      tree.emplace(entry.path, node);
      continue;
    }
    if (entry.kind == EntryKind::HardLink) {
      auto target = tree.find(entry.target);
      if (target == tree.end() || target->second.kind != EntryKind::File)
        continue; // a link to nothing (or to a non-file) makes no regular file
      node = target->second;
    }
    removeWithUnder(tree, entry.path);
    tree.emplace(entry.path, node);
  }
}

} // namespace

std::vector<FinalFile> stackLayers(const std::vector<const LayerScan *> &layers,
                                   FinalTree *finalTree) {
  Tree tree;
  for (std::size_t i = 0; i < layers.size(); ++i)
    applyLayer(tree, *layers[i], i);
  std::vector<FinalFile> files;
  for (const auto &[path, node] : tree)
    if (node.kind == EntryKind::File)
      files.push_back({path, node.layer, node.content});
  std::sort(files.begin(), files.end(),
            [](const FinalFile &a, const FinalFile &b) { return walkOrder(a.path, b.path); });
  // Hard-linked names share their content entry: the first in walk order stands for all.
  std::set<const LayerEntry *> seen;
  std::vector<FinalFile> unique;
  for (FinalFile &file : files)
    if (seen.insert(file.entry).second)
      unique.push_back(std::move(file));
  if (finalTree)
    *finalTree = std::move(tree);
  return unique;
}

} // namespace pkgnote::detail
