// SPDX-License-Identifier: MIT
// The movable part of the first PT_LOAD, as blocks of sections, and where the blocks go.
//
// After the program header table, a linked file's first segment usually holds sections that
// only program headers reference (.interp through PT_INTERP, notes through PT_NOTE and
// PT_GNU_PROPERTY). They can be repacked: the table grows by one entry and the package note takes
// a place right after it, in the first page, which the kernel dumps into cores. Sections covered
// by one segment move together (a block), keeping their order and relative alignment.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace pkgnote::detail {

struct StampPiece {
  int section = -1; // index in the section headers; -1: the new .note.package
  std::uint64_t originalOffset = 0;
  std::uint64_t align = 1;
  std::uint64_t gapBefore = 0;     // bytes between the previous piece's end and this one's start
  std::vector<std::uint8_t> bytes; // contents (the new note for the package piece)
  std::uint64_t relative = 0;      // offset inside the block, computed by layOut
  bool package = false;            // the package note (new, or replacing the old one)
};

// Segments (by index) covering pieces FIRST..LAST of a block.
struct StampBlockSegment {
  std::size_t segment = 0;
  std::size_t first = 0, last = 0;
};

struct StampBlock {
  std::vector<StampPiece> pieces;
  std::vector<StampBlockSegment> segments;
  std::uint64_t align = 1;
  std::uint64_t size = 0;
  std::uint64_t position = 0; // file offset chosen by the placement
  bool inTail = false;        // placed after the end of the first segment

  // Lays out the pieces: each keeps its original gap to the previous one, rounded up to its
  // alignment (the same offsets as before when no piece changed size).
  void layOut() {
    std::uint64_t cursor = 0;
    for (StampPiece &piece : pieces) {
      cursor += piece.gapBefore;
      if (piece.align > 1)
        cursor = (cursor + piece.align - 1) / piece.align * piece.align;
      piece.relative = cursor;
      cursor += piece.bytes.size();
    }
    size = cursor;
  }
};

inline constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

// Places BLOCKS in order from START, each at its alignment, while it ends by LIMIT; a block that
// does not fit is marked inTail (and later ones may still fit). Returns the end of the last
// placed block.
inline std::uint64_t placeBlocks(std::vector<StampBlock> &blocks, std::uint64_t start,
                                 std::uint64_t limit) {
  std::uint64_t cursor = start;
  for (StampBlock &block : blocks) {
    std::uint64_t at = (cursor + block.align - 1) / block.align * block.align;
    block.inTail = at > limit || block.size > limit - at;
    if (block.inTail)
      continue;
    block.position = at;
    cursor = at + block.size;
  }
  return cursor;
}

// Places the blocks marked inTail from START (the end of the first segment) on; returns the end.
inline std::uint64_t placeTail(std::vector<StampBlock> &blocks, std::uint64_t start) {
  std::uint64_t cursor = start;
  for (StampBlock &block : blocks) {
    if (!block.inTail)
      continue;
    block.position = (cursor + block.align - 1) / block.align * block.align;
    cursor = block.position + block.size;
  }
  return cursor;
}

} // namespace pkgnote::detail
