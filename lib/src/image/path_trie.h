// SPDX-License-Identifier: MIT
// The paths present while layers are stacked (overlay.h), compact enough for a million entries:
// a trie of path components whose names point into the layers' own path chunks (nothing is
// copied), 32 bytes a node and a 4-byte slot or two of a hash table from (parent, name) to node.
// Removal is by clock, not by walking: a key is present when it was set after every removal of
// what is under its ancestors ("born" later than their "clearedUnder"), so that a whiteout of a
// directory of a million files costs one store.
#pragma once

#include "image/layer_entries.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

class PathTrie {
public:
  using Id = std::uint32_t;
  static constexpr Id kNone = UINT32_MAX;

  PathTrie();

  // The node of PATH ("" is the root) when some key was ever set at or under it; kNone if not.
  Id locate(std::string_view path) const;
  // The node of PATH when PATH is a key now; kNone if not.
  Id find(std::string_view path) const;
  // Makes PATH (normalised: no empty, "." or ".." component; its bytes outlive the trie) a key
  // with KIND and CONTENT (whatever number the caller gives its entries).
  void set(std::string_view path, EntryKind kind, std::uint32_t content);
  // Removes the keys under PATH (all of them for the root), or PATH itself.
  void clearUnder(std::string_view path);
  void erase(std::string_view path);

  EntryKind kind(Id id) const { return nodes_[id].kind; }
  std::uint32_t content(Id id) const { return nodes_[id].content; }
  // "a/b/c" for the node of that path.
  std::string path(Id id) const;
  // Calls VISIT for every key present, in no particular order.
  void forEachKey(const std::function<void(Id)> &visit) const;
  // For each node, whether it is a key or has a key under it.
  std::vector<bool> keysOrAbove() const;
  // The children of PARENT (a pass over all nodes: for the few directories a loader lists).
  std::vector<Id> children(Id parent) const;
  std::string_view name(Id id) const { return {nodes_[id].name, nodes_[id].nameSize}; }

private:
  struct Node {
    const char *name;
    std::uint32_t nameSize;
    Id parent;
    std::uint32_t born;         // the clock when set as a key; 0 when not a key
    std::uint32_t clearedUnder; // the clock of the last removal under it
    std::uint32_t content;
    EntryKind kind;
  };

  Id child(Id parent, std::string_view name) const;
  Id addChild(Id parent, std::string_view name);
  std::uint64_t hash(Id parent, std::string_view name) const;
  void grow();

  std::deque<Node> nodes_; // a deque: no doubling copy; node 0 is the root
  std::vector<Id> slots_;  // open addressing; 0 is empty (the root is nobody's child)
  std::uint64_t seed_;     // random per trie, so that no tar can choose colliding names
  // A key set now is born at clock_; a removal under an existing path takes clock_ and ticks
  // (four billion removals would need terabytes of tar).
  std::uint32_t clock_ = 1;
};

} // namespace pkgnote::detail
