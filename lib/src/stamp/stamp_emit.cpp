// SPDX-License-Identifier: MIT
// The stamp planner's writing steps: which layout (gap, shift, move, tail), then the patches: the
// program header table and the repacked front, the moved rest of the first segment with its DT_
// tags and symbols, the section headers and their names (stamp_planner.h).
#include "stamp/stamp_planner.h"

#include <algorithm>

namespace pkgnote::detail {

using namespace llvm::ELF;

namespace {

// Whether the build-id (at BUILDID, in the first page) would leave the first page with its block.
bool buildIdLeaves(const std::vector<StampBlock> &blocks, std::optional<std::uint64_t> buildId) {
  for (const StampBlock &block : blocks)
    if (buildId && *buildId < kPage && block.inTail && !block.pieces.empty() &&
        *buildId >= block.pieces.front().originalOffset &&
        *buildId < block.pieces.front().originalOffset + block.size &&
        block.position + block.size > kPage)
      return true;
  return false;
}

} // namespace

template <class ELFT>
OrRefusal<Placement> StampPlanner<ELFT>::choosePlacement(const FirstSegment &first,
                                                         const FoundNotes &notes,
                                                         const Front &front, const Repack &repack,
                                                         const Room &room) const {
  Placement placed;
  placed.blocks = repack.blocks;
  placed.front = front.end;
  placed.moveEnd = first.end;
  std::vector<StampBlock> &blocks = placed.blocks;
  const std::optional<std::uint64_t> &buildId = notes.buildId;
  for (StampBlock &block : blocks)
    block.layOut();
  // The build-id's block first, then the package note, then the rest in file order.
  std::stable_partition(blocks.begin(), blocks.end(), [&](const StampBlock &block) {
    for (const StampPiece &piece : block.pieces)
      if (piece.package)
        return true;
    return false;
  });
  std::stable_partition(blocks.begin(), blocks.end(), [&](const StampBlock &block) {
    return buildId && !block.pieces.empty() && *buildId >= block.pieces.front().originalOffset &&
           *buildId < block.pieces.front().originalOffset + block.size;
  });
  std::uint64_t table = h_.header.e_phoff + (h_.segments.size() + repack.newSegment) * sizeof(Phdr);
  const Phdr &load = h_.segments[first.index];
  bool canGrow = load.p_filesz == load.p_memsz;
  std::uint64_t all = placeBlocks(blocks, table, kNoLimit);
  if (all <= front.end) {
    placeBlocks(blocks, table, front.end);
    placed.layout = "gap";
    placed.newEnd = first.end;
    return placed;
  }
  if (room.shiftable && canGrow) {
    std::uint64_t delta = alignUp(all - front.end, room.tailAlign);
    if (first.end + delta <= room.slackLimit) {
      placed.delta = delta;
      placeBlocks(blocks, table, front.end + placed.delta);
      placed.layout = "shift";
      placed.newEnd = first.end + placed.delta;
      return placed;
    }
  }
  // The DT_ tables after the notes move whole to the free end of the segment ("move"): their
  // room in the first page holds the grown table and the notes.
  if (room.tablesEnd > front.end && canGrow && all <= room.tablesEnd) {
    std::uint64_t delta = alignUp(first.end - front.end, room.tablesAlign);
    if (room.tablesEnd + delta <= room.slackLimit) {
      placed.delta = delta;
      placed.moveEnd = room.tablesEnd;
      placeBlocks(blocks, table, room.tablesEnd);
      placed.layout = "move";
      placed.newEnd = room.tablesEnd + placed.delta;
      return placed;
    }
  }
  if (table > front.end)
    return StampRefusal{"no safe layout: no room for one more program header before " +
                            hex(front.end) + " and the sections from there on cannot move",
                        false, true};
  if (!canGrow)
    return StampRefusal{"no safe layout: the first PT_LOAD has p_memsz above p_filesz", false,
                        true};
  placeBlocks(blocks, table, front.end);
  placed.newEnd = placeTail(blocks, first.end);
  // A core keeps a module's build-id only from its first page. When its block must leave it,
  // the build-id alone may still fit after the grown table (32-bit static programs: one PT_NOTE
  // covers the build-id and .note.ABI-tag); else the file is stamped anyway (64-bit static
  // programs, whose first segment holds code-referenced data right after the notes), and the
  // caller warns.
  if (buildIdLeaves(blocks, buildId) && repack.newSegment) {
    std::vector<StampBlock> saved = blocks;
    if (splitBuildIdBlock(blocks, buildId)) {
      placeBlocks(blocks, table, front.end);
      std::uint64_t end = placeTail(blocks, first.end);
      if (!buildIdLeaves(blocks, buildId) && end <= room.slackLimit) {
        placed.newEnd = end;
        placed.noteWithBlock = true;
      } else
        blocks = std::move(saved);
    }
  }
  if (placed.newEnd > room.slackLimit)
    return StampRefusal{
        "no safe layout: " + std::to_string(placed.newEnd - first.end) +
            " bytes needed after the first PT_LOAD, " +
            std::to_string(room.slackLimit > first.end ? room.slackLimit - first.end : 0) +
            " free there",
        false, true};
  // The build-id never leaves the first page (a core keeps only that page): the note goes to
  // a new segment instead.
  if (buildIdLeaves(blocks, buildId))
    return StampRefusal{"no safe layout: the build-id would leave the first page", false, true};
  placed.layout = "tail";
  return placed;
}

// Splits [build-id][other notes], covered by one PT_NOTE, into the build-id alone (that PT_NOTE
// shrinks to it) and the other notes, put before the package note under its new PT_NOTE.
template <class ELFT>
bool StampPlanner<ELFT>::splitBuildIdBlock(std::vector<StampBlock> &blocks,
                                           std::optional<std::uint64_t> buildId) const {
  if (blocks.size() < 2 || !blocks[1].pieces.back().package || blocks[1].pieces.size() != 1)
    return false;
  StampBlock &build = blocks[0];
  if (build.pieces.size() < 2 || build.segments.size() != 1 ||
      h_.segments[build.segments[0].segment].p_type != PT_NOTE || !buildId ||
      *buildId != build.pieces[0].originalOffset || build.segments[0].first != 0 ||
      build.segments[0].last != build.pieces.size() - 1)
    return false;
  for (const StampPiece &piece : build.pieces)
    if (piece.align > 4 || h_.sections[piece.section].sh_type != SHT_NOTE)
      return false;
  StampBlock &package = blocks[1];
  std::vector<StampPiece> moved(build.pieces.begin() + 1, build.pieces.end());
  build.pieces.resize(1);
  build.segments[0].last = 0;
  moved.front().gapBefore = 0;
  package.pieces.back().gapBefore = 0;
  package.pieces.insert(package.pieces.begin(), moved.begin(), moved.end());
  build.layOut();
  package.layOut();
  return true;
}

template <class ELFT>
std::uint64_t StampPlanner<ELFT>::newOffsetOf(const Placement &placement,
                                              std::size_t section) const {
  for (const StampBlock &block : placement.blocks)
    for (const StampPiece &piece : block.pieces)
      if (piece.section == static_cast<int>(section))
        return block.position + piece.relative;
  std::uint64_t offset = h_.sections[section].sh_offset;
  return (h_.sections[section].sh_flags & SHF_ALLOC) && placement.inShifted(offset)
             ? offset + placement.delta
             : offset;
}

template <class ELFT>
void StampPlanner<ELFT>::patchSymbols(const Placement &placement,
                                      std::vector<std::uint8_t> &bytes) const {
  for (std::size_t at = 0; at + sizeof(Sym) <= bytes.size(); at += sizeof(Sym)) {
    Sym symbol;
    std::memcpy(static_cast<void *>(&symbol), bytes.data() + at, sizeof symbol);
    std::size_t index = symbol.st_shndx;
    if (index == SHN_UNDEF || index >= SHN_LORESERVE || index >= h_.sections.size() ||
        !(h_.sections[index].sh_flags & SHF_ALLOC))
      continue;
    // Only symbols inside their section move with it: __ehdr_start is defined relative to the
    // first section but names the ELF header, which stays.
    const Shdr &section = h_.sections[index];
    std::uint64_t moved = newOffsetOf(placement, index) - section.sh_offset;
    if (moved == 0 || symbol.st_value < section.sh_addr ||
        symbol.st_value > section.sh_addr + section.sh_size)
      continue;
    symbol.st_value = symbol.st_value + moved;
    std::memcpy(bytes.data() + at, &symbol, sizeof symbol);
  }
}

template <class ELFT>
auto StampPlanner<ELFT>::emit(const FirstSegment &first, const Repack &repack,
                              const Placement &placement, DynamicTable dynamic) const
    -> OrRefusal<Emitted> {
  Emitted out;
  std::uint64_t noteStart = 0; // start of the new PT_NOTE (before the note when split)
  // The program header table, with the moved segments, and the repacked front.
  std::uint64_t start = h_.header.e_phoff;
  // Shift: the front reaches the moved bytes; move: it ends where they were (text follows).
  std::uint64_t frontEnd =
      placement.moveEnd == first.end ? placement.front + placement.delta : placement.moveEnd;
  std::vector<std::uint8_t> front(frontEnd - start, 0);
  std::vector<Phdr> segments = h_.segments;
  std::size_t count = segments.size() + repack.newSegment;
  for (const StampBlock &block : placement.blocks) {
    std::vector<std::uint8_t> &target = front;
    std::vector<std::uint8_t> tail;
    for (const StampPiece &piece : block.pieces) {
      if (piece.package) {
        out.noteOffset = block.position + piece.relative;
        noteStart = placement.noteWithBlock ? block.position : out.noteOffset;
      }
      if (!block.inTail)
        std::copy(piece.bytes.begin(), piece.bytes.end(),
                  target.begin() + (block.position + piece.relative - start));
    }
    if (block.inTail) {
      tail.assign(block.size, 0);
      for (const StampPiece &piece : block.pieces)
        std::copy(piece.bytes.begin(), piece.bytes.end(), tail.begin() + piece.relative);
      out.patches.push_back({block.position, std::move(tail)});
    }
    for (const StampBlockSegment &covered : block.segments) {
      Phdr &segment = segments[covered.segment];
      std::uint64_t offset = block.position + block.pieces[covered.first].relative;
      const StampPiece &last = block.pieces[covered.last];
      std::uint64_t size = last.relative + last.bytes.size() - block.pieces[covered.first].relative;
      std::uint64_t moved = offset - segment.p_offset;
      segment.p_offset = offset;
      segment.p_vaddr = segment.p_vaddr + moved;
      segment.p_paddr = segment.p_paddr + moved;
      segment.p_filesz = size;
      segment.p_memsz = size;
    }
  }
  const Phdr &load = h_.segments[first.index];
  for (std::size_t i = 0; i < segments.size(); ++i) {
    Phdr &segment = segments[i];
    if (i == first.index) {
      segment.p_filesz = placement.newEnd;
      segment.p_memsz = placement.newEnd;
    } else if (segment.p_type == PT_PHDR) {
      segment.p_filesz = count * sizeof(Phdr);
      segment.p_memsz = count * sizeof(Phdr);
    } else if (segment.p_type != PT_LOAD && segment.p_filesz &&
               placement.inShifted(h_.segments[i].p_offset)) {
      segment.p_offset = segment.p_offset + placement.delta;
      segment.p_vaddr = segment.p_vaddr + placement.delta;
      segment.p_paddr = segment.p_paddr + placement.delta;
    }
  }
  if (repack.newSegment) {
    Phdr note{};
    note.p_type = PT_NOTE;
    note.p_flags = PF_R;
    note.p_offset = noteStart;
    note.p_vaddr = first.bias + noteStart;
    note.p_paddr = load.p_paddr + noteStart;
    note.p_filesz = out.noteOffset + note_.size() - noteStart;
    note.p_memsz = note.p_filesz;
    note.p_align = 4;
    // After the last PT_NOTE, so that notes stay in file order for readers that list them.
    std::size_t at = segments.size();
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (segments[i].p_type == PT_NOTE)
        at = i + 1;
    segments.insert(segments.begin() + at, note);
  }
  for (std::size_t i = 0; i < segments.size(); ++i)
    std::memcpy(front.data() + i * sizeof(Phdr), &segments[i], sizeof(Phdr));

  // The rest of the first segment, moved as a whole, with the DT_ tags and symbols that point
  // into it.
  if (placement.delta) {
    std::vector<std::uint8_t> shifted;
    if (placement.moveEnd - placement.front > kMaxStampTable ||
        !readBytes(placement.front, placement.moveEnd - placement.front, shifted))
      return StampRefusal{"cannot read the first segment from " + hex(placement.front)};
    for (const Shdr &section : h_.sections)
      if (section.sh_type == SHT_DYNSYM && placement.inShifted(section.sh_offset) &&
          section.sh_offset + section.sh_size <= placement.moveEnd) {
        std::vector<std::uint8_t> table(
            shifted.begin() + (section.sh_offset - placement.front),
            shifted.begin() + (section.sh_offset - placement.front + section.sh_size));
        patchSymbols(placement, table);
        std::copy(table.begin(), table.end(),
                  shifted.begin() + (section.sh_offset - placement.front));
      }
    out.patches.push_back({placement.front + placement.delta, std::move(shifted)});
    std::vector<std::uint8_t> tags;
    for (Dyn &entry : dynamic.entries)
      if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr >= first.bias + placement.front &&
          entry.d_un.d_ptr < first.bias + placement.moveEnd)
        entry.d_un.d_ptr = entry.d_un.d_ptr + placement.delta;
    for (const Dyn &entry : dynamic.entries)
      appendStruct(tags, entry);
    if (dynamic.segment && !tags.empty())
      out.patches.push_back({h_.segments[*dynamic.segment].p_offset, std::move(tags)});
  }
  out.patches.insert(out.patches.begin(), {start, std::move(front)});
  return out;
}

template <class ELFT>
OrRefusal<std::vector<StampPatch>>
StampPlanner<ELFT>::emitSections(const FirstSegment &first, const Front &front,
                                 const Repack &repack, const Placement &placement,
                                 std::uint64_t noteOffset) const {
  std::vector<StampPatch> patches;
  auto header = h_.header;
  header.e_phnum = static_cast<std::uint16_t>(h_.segments.size() + repack.newSegment);
  std::vector<Shdr> sections = h_.sections;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    Shdr &section = sections[i];
    if (!(section.sh_flags & SHF_ALLOC))
      continue;
    std::uint64_t moved = newOffsetOf(placement, i) - section.sh_offset;
    section.sh_offset = section.sh_offset + moved;
    section.sh_addr = section.sh_addr + moved;
    for (const StampBlock &block : placement.blocks)
      for (const StampPiece &piece : block.pieces)
        if (piece.package && piece.section == static_cast<int>(i))
          section.sh_size = piece.bytes.size();
  }
  // Symbol tables outside the moved bytes (.symtab; .dynsym elsewhere) follow their sections,
  // read and patched a chunk at a time: only the chunks that change become patches.
  bool anyMoved = false;
  for (std::size_t i = 0; i < h_.sections.size(); ++i)
    if ((h_.sections[i].sh_flags & SHF_ALLOC) &&
        newOffsetOf(placement, i) != h_.sections[i].sh_offset)
      anyMoved = true;
  constexpr std::uint64_t chunk = (1u << 20) / sizeof(Sym) * sizeof(Sym);
  for (const Shdr &section : h_.sections) {
    if (!anyMoved || (section.sh_type != SHT_SYMTAB && section.sh_type != SHT_DYNSYM) ||
        (section.sh_type == SHT_DYNSYM && placement.delta &&
         placement.inShifted(section.sh_offset)))
      continue;
    for (std::uint64_t at = 0; at < section.sh_size; at += chunk) {
      std::vector<std::uint8_t> table, original;
      if (!readBytes(section.sh_offset + at, std::min(chunk, section.sh_size - at), table))
        return StampRefusal{"cannot read a symbol table"};
      original = table;
      patchSymbols(placement, table);
      if (table != original)
        patches.push_back({section.sh_offset + at, std::move(table)});
    }
  }
  std::uint64_t tableAt = h_.header.e_shoff;
  if (repack.newSection) {
    Shdr &names = sections[h_.header.e_shstrndx];
    std::string newNames = h_.sectionNames + kSectionName + std::string(1, '\0');
    Shdr added{};
    added.sh_name = static_cast<std::uint32_t>(h_.sectionNames.size());
    added.sh_type = SHT_NOTE;
    added.sh_flags = SHF_ALLOC;
    added.sh_addr = first.bias + noteOffset;
    added.sh_offset = noteOffset;
    added.sh_size = note_.size();
    added.sh_addralign = 4;
    // The names and the table are rewritten where they are when nothing follows them (the usual
    // end of a linked file), else appended.
    std::uint64_t namesEnd = names.sh_offset + names.sh_size, fileEnd = h_.fileSize;
    bool last = names.sh_offset >= placement.newEnd && h_.header.e_shoff >= namesEnd;
    for (std::size_t i = 0; i < h_.sections.size(); ++i)
      if (i != h_.header.e_shstrndx && h_.hasFileBytes(h_.sections[i]) &&
          h_.sections[i].sh_offset + h_.sections[i].sh_size > names.sh_offset)
        last = false;
    for (const Phdr &segment : h_.segments)
      if (segment.p_filesz && segment.p_offset + segment.p_filesz > names.sh_offset)
        last = false;
    if (front.tableInFront)
      last = false;
    std::uint64_t namesAt = last ? names.sh_offset : std::max(fileEnd, placement.newEnd);
    names.sh_offset = namesAt;
    names.sh_size = newNames.size();
    sections.push_back(added);
    tableAt = alignUp(namesAt + newNames.size(), sizeof(typename ELFT::uint));
    header.e_shoff = tableAt;
    header.e_shnum = static_cast<std::uint16_t>(sections.size());
    patches.push_back({namesAt, std::vector<std::uint8_t>(newNames.begin(), newNames.end())});
    if (sections.size() >= SHN_LORESERVE)
      return StampRefusal{"too many sections to add one"};
  }
  if (!repack.newSection && front.tableInFront) {
    tableAt = alignUp(std::max(h_.fileSize, placement.newEnd), sizeof(typename ELFT::uint));
    header.e_shoff = tableAt;
  }
  std::vector<std::uint8_t> table;
  for (const Shdr &section : sections)
    appendStruct(table, section);
  patches.push_back({tableAt, std::move(table)});
  std::vector<std::uint8_t> headerBytes;
  appendStruct(headerBytes, header);
  patches.push_back({0, std::move(headerBytes)});
  return patches;
}

PKGNOTE_STAMP_INSTANTIATE(OrRefusal<Placement>,
                          choosePlacement(const FirstSegment &, const FoundNotes &, const Front &,
                                          const Repack &, const Room &) const)
PKGNOTE_STAMP_INSTANTIATE(auto, emit(const FirstSegment &, const Repack &, const Placement &,
                                     DynamicTable) const->OrRefusal<Emitted>)
PKGNOTE_STAMP_INSTANTIATE(OrRefusal<std::vector<StampPatch>>,
                          emitSections(const FirstSegment &, const Front &, const Repack &,
                                       const Placement &, std::uint64_t) const)

} // namespace pkgnote::detail
