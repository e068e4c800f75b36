// SPDX-License-Identifier: MIT
// PathTrie (path_trie.h).
#include "image/path_trie.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sys/random.h>

namespace pkgnote::detail {
namespace {

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  x *= 0xd6e8feb86659fd93ull;
  x ^= x >> 32;
  return x;
}

// Calls EACH for every component of PATH, in order, until it returns false; false then.
template <typename Each> bool eachComponent(std::string_view path, Each each) {
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    if (!each(path.substr(0, slash)))
      return false;
    if (slash == std::string_view::npos)
      break;
    path.remove_prefix(slash + 1);
    if (path.empty())
      return each(std::string_view()); // "a/": an empty last component, which no key has
  }
  return true;
}

} // namespace

PathTrie::PathTrie() : slots_(1024, 0) {
  // getrandom, not std::random_device: nothing here may throw. Without it, the address of this
  // trie and the time still differ from run to run.
  if (::getrandom(&seed_, sizeof seed_, GRND_NONBLOCK) != sizeof seed_)
    seed_ = mix(
        reinterpret_cast<std::uintptr_t>(this) ^
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  nodes_.push_back(Node{"", 0, kNone, 0, 0, 0, EntryKind::Directory});
}

std::uint64_t PathTrie::hash(Id parent, std::string_view name) const {
  std::uint64_t h = mix(seed_ ^ (std::uint64_t(parent) << 32) ^ name.size());
  std::size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, name.data() + i, 8);
    h = mix(h ^ word);
  }
  std::uint64_t tail = 0;
  if (i < name.size())
    std::memcpy(&tail, name.data() + i, name.size() - i);
  return mix(h ^ tail ^ 0x9e3779b97f4a7c15ull);
}

PathTrie::Id PathTrie::child(Id parent, std::string_view name) const {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash(parent, name) & mask;; slot = (slot + 1) & mask) {
    Id id = slots_[slot];
    if (id == 0)
      return kNone;
    const Node &node = nodes_[id];
    if (node.parent == parent && std::string_view(node.name, node.nameSize) == name)
      return id;
  }
}

void PathTrie::grow() {
  std::vector<Id> old(slots_.size() * 2, 0);
  old.swap(slots_);
  std::size_t mask = slots_.size() - 1;
  for (Id id : old) {
    if (id == 0)
      continue;
    const Node &node = nodes_[id];
    std::size_t slot = hash(node.parent, std::string_view(node.name, node.nameSize)) & mask;
    while (slots_[slot] != 0)
      slot = (slot + 1) & mask;
    slots_[slot] = id;
  }
}

PathTrie::Id PathTrie::addChild(Id parent, std::string_view name) {
  if ((nodes_.size() + 1) * 2 > slots_.size())
    grow();
  auto id = static_cast<Id>(nodes_.size());
  nodes_.push_back(Node{name.data(), static_cast<std::uint32_t>(name.size()), parent, 0, 0, 0,
                        EntryKind::Directory});
  std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash(parent, name) & mask;
  while (slots_[slot] != 0)
    slot = (slot + 1) & mask;
  slots_[slot] = id;
  return id;
}

PathTrie::Id PathTrie::locate(std::string_view path) const {
  Id at = 0;
  bool found = eachComponent(path, [&](std::string_view name) {
    at = child(at, name);
    return at != kNone;
  });
  return found ? at : kNone;
}

PathTrie::Id PathTrie::find(std::string_view path) const {
  Id at = 0;
  std::uint32_t removed = 0; // the latest removal under an ancestor
  bool found = eachComponent(path, [&](std::string_view name) {
    removed = std::max(removed, nodes_[at].clearedUnder);
    at = child(at, name);
    return at != kNone;
  });
  if (!found || at == 0 || nodes_[at].born <= removed)
    return kNone;
  return at;
}

void PathTrie::set(std::string_view path, EntryKind kind, std::uint32_t content) {
  Id at = 0;
  eachComponent(path, [&](std::string_view name) {
    Id next = child(at, name);
    at = next == kNone ? addChild(at, name) : next;
    return true;
  });
  if (at == 0)
    return; // the root is never a key
  Node &node = nodes_[at];
  node.born = clock_;
  node.kind = kind;
  node.content = content;
}

void PathTrie::clearUnder(std::string_view path) {
  if (Id at = locate(path); at != kNone)
    nodes_[at].clearedUnder = clock_++;
}

void PathTrie::erase(std::string_view path) {
  if (Id at = locate(path); at != kNone && at != 0)
    nodes_[at].born = 0;
}

std::string PathTrie::path(Id id) const {
  std::vector<std::string_view> names;
  for (; id != 0; id = nodes_[id].parent)
    names.emplace_back(nodes_[id].name, nodes_[id].nameSize);
  std::string out;
  for (auto name = names.rbegin(); name != names.rend(); ++name) {
    if (!out.empty())
      out += '/';
    out += *name;
  }
  return out;
}

void PathTrie::forEachKey(const std::function<void(Id)> &visit) const {
  // A parent is made before its children, so one pass in node order knows each node's latest
  // removal above it.
  std::vector<std::uint32_t> removedAbove(nodes_.size(), 0);
  for (Id id = 1; id < nodes_.size(); ++id) {
    const Node &node = nodes_[id];
    removedAbove[id] = std::max(removedAbove[node.parent], nodes_[node.parent].clearedUnder);
    if (node.born > removedAbove[id])
      visit(id);
  }
}

std::vector<bool> PathTrie::keysOrAbove() const {
  std::vector<bool> marked(nodes_.size(), false);
  forEachKey([&](Id id) { marked[id] = true; });
  // Children come after their parent: one backward pass carries a mark up to the root.
  for (Id id = static_cast<Id>(nodes_.size()) - 1; id > 0; --id)
    if (marked[id])
      marked[nodes_[id].parent] = true;
  return marked;
}

std::vector<PathTrie::Id> PathTrie::children(Id parent) const {
  std::vector<Id> out;
  for (Id id = 1; id < nodes_.size(); ++id)
    if (nodes_[id].parent == parent)
      out.push_back(id);
  return out;
}

} // namespace pkgnote::detail
