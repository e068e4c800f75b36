// SPDX-License-Identifier: MIT
// The overlay (a path trie with removal by clock, image/overlay.h) against a model written the
// plain way: an ordered map of every path, a whiteout erasing the range of keys under it, as the
// overlay was before issue 28. Random stacks of layers over a small alphabet of names (so that
// whiteouts, opaque directories, replacements of directories by files, hard links to replaced or
// missing targets, and re-creation after removal all meet) must give the same files, in the same
// order, from the same layers, and the same answers to the loader's questions (FinalTree).
#include "image/overlay.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace pkgnote::detail {
namespace {

struct ModelNode {
  EntryKind kind;
  std::size_t layer;
  std::size_t entry; // the supplying entry's index in its layer
};
using Model = std::map<std::string, ModelNode>;

void removeUnder(Model &tree, const std::string &dir) {
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

void applyModel(Model &tree, const LayerScan &layer, std::size_t index) {
  for (std::size_t i = 0; i < layer.entries.size(); ++i) {
    LayerEntry entry = layer.entries[i];
    if (entry.kind == EntryKind::Opaque)
      removeUnder(tree, entry.path);
    else if (entry.kind == EntryKind::Whiteout && !entry.path.empty()) {
      removeUnder(tree, entry.path);
      tree.erase(entry.path);
    }
  }
  for (std::size_t i = 0; i < layer.entries.size(); ++i) {
    LayerEntry entry = layer.entries[i];
    if (entry.kind == EntryKind::Opaque || entry.kind == EntryKind::Whiteout || entry.path.empty())
      continue;
    ModelNode node{entry.kind, index, i};
    if (entry.kind == EntryKind::Directory) {
      auto found = tree.find(entry.path);
      if (found != tree.end() && found->second.kind == EntryKind::Directory)
        continue;
      tree.erase(entry.path);
      tree.emplace(entry.path, node);
      continue;
    }
    if (entry.kind == EntryKind::HardLink) {
      auto target = tree.find(entry.target);
      if (target == tree.end() || target->second.kind != EntryKind::File)
        continue;
      node = target->second;
    }
    removeUnder(tree, entry.path);
    tree.erase(entry.path);
    tree.emplace(entry.path, node);
  }
}

bool walkOrder(const std::string &a, const std::string &b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i])
      return a[i] == '/' ||
             (b[i] != '/' && static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]));
  return a.size() < b.size();
}

std::string randomPath(std::mt19937 &random, bool allowRoot) {
  static const char *names[] = {"a", "b", "c", "a-b", "ab"};
  std::size_t depth = random() % 4;
  if (depth == 0 && !allowRoot)
    depth = 1;
  std::string path;
  for (std::size_t i = 0; i < depth; ++i)
    path += (path.empty() ? "" : "/") + std::string(names[random() % 5]);
  return path;
}

LayerScan randomLayer(std::mt19937 &random) {
  LayerScan layer;
  std::size_t count = 1 + random() % 12;
  for (std::size_t i = 0; i < count; ++i) {
    LayerEntry entry;
    static const EntryKind kinds[] = {EntryKind::File,     EntryKind::File,    EntryKind::Directory,
                                      EntryKind::HardLink, EntryKind::Symlink, EntryKind::Other,
                                      EntryKind::Whiteout, EntryKind::Opaque};
    entry.kind = kinds[random() % 8];
    entry.path = randomPath(random, entry.kind == EntryKind::Opaque);
    if (entry.kind == EntryKind::HardLink || entry.kind == EntryKind::Symlink)
      entry.target = randomPath(random, false);
    if (entry.kind == EntryKind::File && random() % 3 == 0)
      entry.error = "corrupt " + std::to_string(i); // some with something to report
    layer.entries.push_back(std::move(entry));
  }
  return layer;
}

TEST(OverlayModel, RandomStacksEqualTheOrderedMapModel) {
  std::mt19937 random(28);
  for (int round = 0; round < 3000; ++round) {
    std::vector<LayerScan> scans;
    for (std::size_t n = 1 + random() % 4; scans.size() < n;)
      scans.push_back(randomLayer(random));
    std::vector<const LayerScan *> layers;
    for (const LayerScan &scan : scans)
      layers.push_back(&scan);

    Model model;
    for (std::size_t i = 0; i < scans.size(); ++i)
      applyModel(model, scans[i], i);
    // The model's files in walk order, one per supplying entry.
    std::vector<std::pair<std::string, ModelNode>> want(model.begin(), model.end());
    std::stable_sort(want.begin(), want.end(),
                     [](const auto &a, const auto &b) { return walkOrder(a.first, b.first); });
    std::vector<std::string> wantAll, wantReportable;
    std::set<std::pair<std::size_t, std::size_t>> seen;
    for (const auto &[path, node] : want) {
      if (node.kind != EntryKind::File || !seen.insert({node.layer, node.entry}).second)
        continue;
      std::string line = path + " @" + std::to_string(node.layer);
      wantAll.push_back(line);
      if (!scans[node.layer].entries[node.entry].error.empty())
        wantReportable.push_back(line);
    }

    FinalTree tree;
    std::vector<std::string> gotAll, gotReportable;
    for (const FinalFile &file : stackLayers(layers))
      gotAll.push_back(file.path + " @" + std::to_string(file.layer));
    for (const FinalFile &file : stackLayers(layers, &tree, /*reportableOnly=*/true))
      gotReportable.push_back(file.path + " @" + std::to_string(file.layer));
    ASSERT_EQ(gotAll, wantAll) << "round " << round;
    ASSERT_EQ(gotReportable, wantReportable) << "round " << round;

    // The loader's questions, for every path of the alphabet.
    for (int probe = 0; probe < 20; ++probe) {
      std::string path = randomPath(random, true);
      auto found = model.find(path);
      std::optional<FinalNode> node = tree.find(path);
      ASSERT_EQ(node.has_value(), found != model.end() && !path.empty()) << path;
      if (node) {
        EXPECT_EQ(node->kind, found->second.kind) << path;
        EXPECT_EQ(node->layer, found->second.layer) << path;
      }
      std::string prefix = path.empty() ? "" : path + "/";
      std::set<std::string> names;
      for (auto it = model.lower_bound(prefix);
           it != model.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        if (it->first.size() > prefix.size())
          names.insert(
              it->first.substr(prefix.size(), it->first.find('/', prefix.size()) - prefix.size()));
      EXPECT_EQ(tree.names(path), names) << "round " << round << " " << path;
      EXPECT_EQ(tree.hasUnder(path), !names.empty()) << "round " << round << " " << path;
    }
  }
}

} // namespace
} // namespace pkgnote::detail
