// SPDX-License-Identifier: MIT
// A layer's entries as the scan records them, compact: a layer may hold a million entries, and
// most of them (empty files, directories, files that are not ELF) are a path and a kind only.
// Their paths are packed into shared chunks (no allocation per entry), 20 bytes of record each;
// what only a few entries have (an ELF report, an error, a link's target, ld.so.conf bytes) is kept
// as a whole LayerEntry beside them.
#pragma once

#include "pkgnote/elf_report.h"

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

enum class EntryKind : std::uint8_t {
  File, // a regular file
  Directory,
  HardLink, // the same file as `target`
  Symlink,  // a symbolic link to `target` (as written): followed by `read --deps` only
  Other,    // device, FIFO: never reported, but it replaces what was below
  Whiteout, // .wh.NAME: `path` is NAME, deleted from the layers below
  Opaque,   // .wh..wh..opq: `path` is the directory emptied of the layers below
};

struct LayerEntry {
  std::string path; // relative to the image root, no leading '/', "" for the root itself
  EntryKind kind = EntryKind::Other;
  std::string target;                  // HardLink: the path linked to, resolved the same way;
                                       // Symlink: the link's target as written
  std::optional<std::string> contents; // File: the bytes of etc/ld.so.conf and
                                       // etc/ld.so.conf.d/*, when dependencies are scanned
  std::optional<FileReport> report;    // File: ELF; report->path is "/" + path
  std::string error;                   // File: the ELF reader's message for a corrupt ELF file
};

// One entry as the overlay walks it: PATH points into the layer's chunks (valid while the
// LayerEntries lives, unchanged); DETAIL is the whole entry when it has more than path and kind.
struct EntryView {
  std::string_view path;
  EntryKind kind;
  const LayerEntry *detail;
};

class LayerEntries {
public:
  LayerEntries() = default;
  LayerEntries(std::initializer_list<LayerEntry> entries);

  void push_back(LayerEntry entry);
  std::size_t size() const { return packed_.size(); }
  bool empty() const { return packed_.empty(); }
  EntryView view(std::size_t index) const;
  // The entry as a whole (a copy: for tests and callers that want the strings).
  LayerEntry operator[](std::size_t index) const;

private:
  // Whether ENTRY has nothing beyond its path and kind.
  static bool plain(const LayerEntry &entry);
  // PATH's bytes appended to the chunks; returns (chunk, offset).
  std::pair<std::uint32_t, std::uint32_t> store(std::string_view path);

  struct Packed {
    std::uint32_t chunk;
    std::uint32_t offset;
    std::uint32_t size;
    std::uint32_t detail; // index into details_, or kNone
    EntryKind kind;
  };
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::string> chunks_; // each filled up to its reserved capacity, never reallocated
  std::deque<Packed> packed_;       // a deque: no doubling copy at a million entries
  std::deque<LayerEntry> details_;
};

} // namespace pkgnote::detail
