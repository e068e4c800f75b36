// SPDX-License-Identifier: MIT
// LayerEntries (layer_entries.h).
#include "image/layer_entries.h"

namespace pkgnote::detail {
namespace {

// Path bytes are appended to chunks of this size (a longer path gets a chunk of its own): 1 MiB
// holds some 40,000 paths, and an untouched reserve costs no resident memory.
constexpr std::size_t kChunkBytes = 1u << 20;

} // namespace

LayerEntries::LayerEntries(std::initializer_list<LayerEntry> entries) {
  for (const LayerEntry &entry : entries)
    push_back(entry);
}

bool LayerEntries::plain(const LayerEntry &entry) {
  return entry.target.empty() && !entry.contents && !entry.report && entry.error.empty();
}

std::pair<std::uint32_t, std::uint32_t> LayerEntries::store(std::string_view path) {
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < path.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(std::max(kChunkBytes, path.size()));
  }
  std::string &chunk = chunks_.back();
  auto offset = static_cast<std::uint32_t>(chunk.size());
  chunk.append(path);
  return {static_cast<std::uint32_t>(chunks_.size() - 1), offset};
}

void LayerEntries::push_back(LayerEntry entry) {
  auto [chunk, offset] = store(entry.path);
  Packed packed{chunk, offset, static_cast<std::uint32_t>(entry.path.size()), kNone, entry.kind};
  if (!plain(entry)) {
    packed.detail = static_cast<std::uint32_t>(details_.size());
    details_.push_back(std::move(entry));
  }
  packed_.push_back(packed);
}

EntryView LayerEntries::view(std::size_t index) const {
  const Packed &packed = packed_[index];
  std::string_view path(chunks_[packed.chunk].data() + packed.offset, packed.size);
  return EntryView{path, packed.kind, packed.detail == kNone ? nullptr : &details_[packed.detail]};
}

LayerEntry LayerEntries::operator[](std::size_t index) const {
  EntryView entry = view(index);
  if (entry.detail)
    return *entry.detail;
  LayerEntry out;
  out.path = std::string(entry.path);
  out.kind = entry.kind;
  return out;
}

} // namespace pkgnote::detail
