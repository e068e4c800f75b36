// SPDX-License-Identifier: MIT
// The stamp planner's writing steps: which layout (gap, shift, move, tail), then the patches: the
// program header table and the repacked front, the moved rest of the first segment with its DT_
// tags and symbols, the section headers and their names (stamp_planner.h).
#include "stamp/stamp_planner.h"

#include <algorithm>

namespace pkgnote::detail {

using namespace llvm::ELF;

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::choosePlacement() {
  for (StampBlock &block : blocks_)
    block.layOut();
  // The build-id's block first, then the package note, then the rest in file order.
  std::stable_partition(blocks_.begin(), blocks_.end(), [&](const StampBlock &block) {
    for (const StampPiece &piece : block.pieces)
      if (piece.package)
        return true;
    return false;
  });
  std::stable_partition(blocks_.begin(), blocks_.end(), [&](const StampBlock &block) {
    return buildId_ && !block.pieces.empty() && *buildId_ >= block.pieces.front().originalOffset &&
           *buildId_ < block.pieces.front().originalOffset + block.size;
  });
  std::uint64_t table = h_.header.e_phoff + (h_.segments.size() + newSegment_) * sizeof(Phdr);
  const Phdr &load = h_.segments[first_];
  bool canGrow = load.p_filesz == load.p_memsz;
  std::uint64_t all = placeBlocks(blocks_, table, kNoLimit);
  if (all <= front_) {
    placeBlocks(blocks_, table, front_);
    plan_.outcome.layout = "gap";
    newEnd_ = oldEnd_;
    return std::nullopt;
  }
  if (shiftable_ && canGrow) {
    std::uint64_t delta = alignUp(all - front_, tailAlign_);
    if (oldEnd_ + delta <= slackLimit_) {
      delta_ = delta;
      placeBlocks(blocks_, table, front_ + delta_);
      plan_.outcome.layout = "shift";
      newEnd_ = oldEnd_ + delta_;
      return std::nullopt;
    }
  }
  // The DT_ tables after the notes move whole to the free end of the segment ("move"): their
  // room in the first page holds the grown table and the notes.
  if (tablesEnd_ > front_ && canGrow && all <= tablesEnd_) {
    std::uint64_t delta = alignUp(oldEnd_ - front_, tablesAlign_);
    if (tablesEnd_ + delta <= slackLimit_) {
      delta_ = delta;
      moveEnd_ = tablesEnd_;
      placeBlocks(blocks_, table, tablesEnd_);
      plan_.outcome.layout = "move";
      newEnd_ = tablesEnd_ + delta_;
      return std::nullopt;
    }
  }
  if (table > front_)
    return StampRefusal{"no safe layout: no room for one more program header before " +
                            hex(front_) + " and the sections from there on cannot move",
                        false, true};
  if (!canGrow)
    return StampRefusal{"no safe layout: the first PT_LOAD has p_memsz above p_filesz", false,
                        true};
  placeBlocks(blocks_, table, front_);
  newEnd_ = placeTail(blocks_, oldEnd_);
  // A core keeps a module's build-id only from its first page. When its block must leave it,
  // the build-id alone may still fit after the grown table (32-bit static programs: one PT_NOTE
  // covers the build-id and .note.ABI-tag); else the file is stamped anyway (64-bit static
  // programs, whose first segment holds code-referenced data right after the notes), and the
  // caller warns.
  if (buildIdLeaves() && newSegment_) {
    std::vector<StampBlock> saved = blocks_;
    if (splitBuildIdBlock()) {
      placeBlocks(blocks_, table, front_);
      std::uint64_t end = placeTail(blocks_, oldEnd_);
      if (!buildIdLeaves() && end <= slackLimit_) {
        newEnd_ = end;
        noteWithBlock_ = true;
      } else
        blocks_ = std::move(saved);
    }
  }
  if (newEnd_ > slackLimit_)
    return StampRefusal{"no safe layout: " + std::to_string(newEnd_ - oldEnd_) +
                            " bytes needed after the first PT_LOAD, " +
                            std::to_string(slackLimit_ > oldEnd_ ? slackLimit_ - oldEnd_ : 0) +
                            " free there",
                        false, true};
  // The build-id never leaves the first page (a core keeps only that page): the note goes to
  // a new segment instead.
  if (buildIdLeaves())
    return StampRefusal{"no safe layout: the build-id would leave the first page", false, true};
  plan_.outcome.layout = "tail";
  return std::nullopt;
}

template <class ELFT> bool StampPlanner<ELFT>::buildIdLeaves() const {
  for (const StampBlock &block : blocks_)
    if (buildId_ && *buildId_ < kPage && block.inTail && !block.pieces.empty() &&
        *buildId_ >= block.pieces.front().originalOffset &&
        *buildId_ < block.pieces.front().originalOffset + block.size &&
        block.position + block.size > kPage)
      return true;
  return false;
}

// Splits [build-id][other notes], covered by one PT_NOTE, into the build-id alone (that PT_NOTE
// shrinks to it) and the other notes, put before the package note under its new PT_NOTE.
template <class ELFT> bool StampPlanner<ELFT>::splitBuildIdBlock() {
  if (blocks_.size() < 2 || !blocks_[1].pieces.back().package || blocks_[1].pieces.size() != 1)
    return false;
  StampBlock &build = blocks_[0];
  if (build.pieces.size() < 2 || build.segments.size() != 1 ||
      h_.segments[build.segments[0].segment].p_type != PT_NOTE || !buildId_ ||
      *buildId_ != build.pieces[0].originalOffset || build.segments[0].first != 0 ||
      build.segments[0].last != build.pieces.size() - 1)
    return false;
  for (const StampPiece &piece : build.pieces)
    if (piece.align > 4 || h_.sections[piece.section].sh_type != SHT_NOTE)
      return false;
  StampBlock &package = blocks_[1];
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

template <class ELFT> std::uint64_t StampPlanner<ELFT>::newOffsetOf(std::size_t section) const {
  for (const StampBlock &block : blocks_)
    for (const StampPiece &piece : block.pieces)
      if (piece.section == static_cast<int>(section))
        return block.position + piece.relative;
  std::uint64_t offset = h_.sections[section].sh_offset;
  return (h_.sections[section].sh_flags & SHF_ALLOC) && inShifted(offset) ? offset + delta_
                                                                          : offset;
}

template <class ELFT>
void StampPlanner<ELFT>::patchSymbols(std::vector<std::uint8_t> &bytes) const {
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
    std::uint64_t moved = newOffsetOf(index) - section.sh_offset;
    if (moved == 0 || symbol.st_value < section.sh_addr ||
        symbol.st_value > section.sh_addr + section.sh_size)
      continue;
    symbol.st_value = symbol.st_value + moved;
    std::memcpy(bytes.data() + at, &symbol, sizeof symbol);
  }
}

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::emit() {
  // The program header table, with the moved segments, and the repacked front.
  std::uint64_t start = h_.header.e_phoff;
  // Shift: the front reaches the moved bytes; move: it ends where they were (text follows).
  std::uint64_t frontEnd = moveEnd_ == oldEnd_ ? front_ + delta_ : moveEnd_;
  std::vector<std::uint8_t> front(frontEnd - start, 0);
  std::vector<Phdr> segments = h_.segments;
  std::size_t count = segments.size() + newSegment_;
  for (const StampBlock &block : blocks_) {
    std::vector<std::uint8_t> &target = front;
    std::vector<std::uint8_t> tail;
    for (const StampPiece &piece : block.pieces) {
      if (piece.package) {
        noteOffset_ = block.position + piece.relative;
        noteStart_ = noteWithBlock_ ? block.position : noteOffset_;
      }
      if (!block.inTail)
        std::copy(piece.bytes.begin(), piece.bytes.end(),
                  target.begin() + (block.position + piece.relative - start));
    }
    if (block.inTail) {
      tail.assign(block.size, 0);
      for (const StampPiece &piece : block.pieces)
        std::copy(piece.bytes.begin(), piece.bytes.end(), tail.begin() + piece.relative);
      plan_.patches.push_back({block.position, std::move(tail)});
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
  const Phdr &load = h_.segments[first_];
  for (std::size_t i = 0; i < segments.size(); ++i) {
    Phdr &segment = segments[i];
    if (i == first_) {
      segment.p_filesz = newEnd_;
      segment.p_memsz = newEnd_;
    } else if (segment.p_type == PT_PHDR) {
      segment.p_filesz = count * sizeof(Phdr);
      segment.p_memsz = count * sizeof(Phdr);
    } else if (segment.p_type != PT_LOAD && segment.p_filesz &&
               inShifted(h_.segments[i].p_offset)) {
      segment.p_offset = segment.p_offset + delta_;
      segment.p_vaddr = segment.p_vaddr + delta_;
      segment.p_paddr = segment.p_paddr + delta_;
    }
  }
  if (newSegment_) {
    Phdr note{};
    note.p_type = PT_NOTE;
    note.p_flags = PF_R;
    note.p_offset = noteStart_;
    note.p_vaddr = bias_ + noteStart_;
    note.p_paddr = load.p_paddr + noteStart_;
    note.p_filesz = noteOffset_ + note_.size() - noteStart_;
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
  plan_.outcome.noteInFirstPage = noteOffset_ + note_.size() <= kPage;

  // The rest of the first segment, moved as a whole, with the DT_ tags and symbols that point
  // into it.
  if (delta_) {
    std::vector<std::uint8_t> shifted;
    if (moveEnd_ - front_ > kMaxStampTable || !readBytes(front_, moveEnd_ - front_, shifted))
      return StampRefusal{"cannot read the first segment from " + hex(front_)};
    for (const Shdr &section : h_.sections)
      if (section.sh_type == SHT_DYNSYM && inShifted(section.sh_offset) &&
          section.sh_offset + section.sh_size <= moveEnd_) {
        std::vector<std::uint8_t> table(shifted.begin() + (section.sh_offset - front_),
                                        shifted.begin() +
                                            (section.sh_offset - front_ + section.sh_size));
        patchSymbols(table);
        std::copy(table.begin(), table.end(), shifted.begin() + (section.sh_offset - front_));
      }
    plan_.patches.push_back({front_ + delta_, std::move(shifted)});
    std::vector<std::uint8_t> dynamic;
    for (Dyn &entry : dynamic_)
      if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr >= bias_ + front_ &&
          entry.d_un.d_ptr < bias_ + moveEnd_)
        entry.d_un.d_ptr = entry.d_un.d_ptr + delta_;
    for (const Dyn &entry : dynamic_)
      appendStruct(dynamic, entry);
    if (dynamicSegment_ && !dynamic.empty())
      plan_.patches.push_back({h_.segments[*dynamicSegment_].p_offset, std::move(dynamic)});
  }
  plan_.patches.insert(plan_.patches.begin(), {start, std::move(front)});
  return emitSections();
}

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::emitSections() {
  auto header = h_.header;
  header.e_phnum = static_cast<std::uint16_t>(h_.segments.size() + newSegment_);
  std::vector<Shdr> sections = h_.sections;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    Shdr &section = sections[i];
    if (!(section.sh_flags & SHF_ALLOC))
      continue;
    std::uint64_t moved = newOffsetOf(i) - section.sh_offset;
    section.sh_offset = section.sh_offset + moved;
    section.sh_addr = section.sh_addr + moved;
    for (const StampBlock &block : blocks_)
      for (const StampPiece &piece : block.pieces)
        if (piece.package && piece.section == static_cast<int>(i))
          section.sh_size = piece.bytes.size();
  }
  // Symbol tables outside the moved bytes (.symtab; .dynsym elsewhere) follow their sections,
  // read and patched a chunk at a time: only the chunks that change become patches.
  bool anyMoved = false;
  for (std::size_t i = 0; i < h_.sections.size(); ++i)
    if ((h_.sections[i].sh_flags & SHF_ALLOC) && newOffsetOf(i) != h_.sections[i].sh_offset)
      anyMoved = true;
  constexpr std::uint64_t chunk = (1u << 20) / sizeof(Sym) * sizeof(Sym);
  for (const Shdr &section : h_.sections) {
    if (!anyMoved || (section.sh_type != SHT_SYMTAB && section.sh_type != SHT_DYNSYM) ||
        (section.sh_type == SHT_DYNSYM && delta_ && inShifted(section.sh_offset)))
      continue;
    for (std::uint64_t at = 0; at < section.sh_size; at += chunk) {
      std::vector<std::uint8_t> table, original;
      if (!readBytes(section.sh_offset + at, std::min(chunk, section.sh_size - at), table))
        return StampRefusal{"cannot read a symbol table"};
      original = table;
      patchSymbols(table);
      if (table != original)
        plan_.patches.push_back({section.sh_offset + at, std::move(table)});
    }
  }
  std::uint64_t tableAt = h_.header.e_shoff;
  if (newSection_) {
    Shdr &names = sections[h_.header.e_shstrndx];
    std::string newNames = h_.sectionNames + kSectionName + std::string(1, '\0');
    Shdr added{};
    added.sh_name = static_cast<std::uint32_t>(h_.sectionNames.size());
    added.sh_type = SHT_NOTE;
    added.sh_flags = SHF_ALLOC;
    added.sh_addr = bias_ + noteOffset_;
    added.sh_offset = noteOffset_;
    added.sh_size = note_.size();
    added.sh_addralign = 4;
    // The names and the table are rewritten where they are when nothing follows them (the usual
    // end of a linked file), else appended.
    std::uint64_t namesEnd = names.sh_offset + names.sh_size, fileEnd = h_.fileSize;
    bool last = names.sh_offset >= newEnd_ && h_.header.e_shoff >= namesEnd;
    for (std::size_t i = 0; i < h_.sections.size(); ++i)
      if (i != h_.header.e_shstrndx && h_.hasFileBytes(h_.sections[i]) &&
          h_.sections[i].sh_offset + h_.sections[i].sh_size > names.sh_offset)
        last = false;
    for (const Phdr &segment : h_.segments)
      if (segment.p_filesz && segment.p_offset + segment.p_filesz > names.sh_offset)
        last = false;
    if (tableInFront_)
      last = false;
    std::uint64_t namesAt = last ? names.sh_offset : std::max(fileEnd, newEnd_);
    names.sh_offset = namesAt;
    names.sh_size = newNames.size();
    sections.push_back(added);
    tableAt = alignUp(namesAt + newNames.size(), sizeof(typename ELFT::uint));
    header.e_shoff = tableAt;
    header.e_shnum = static_cast<std::uint16_t>(sections.size());
    plan_.patches.push_back({namesAt, std::vector<std::uint8_t>(newNames.begin(), newNames.end())});
    if (sections.size() >= SHN_LORESERVE)
      return StampRefusal{"too many sections to add one"};
  }
  if (!newSection_ && tableInFront_) {
    tableAt = alignUp(std::max(h_.fileSize, newEnd_), sizeof(typename ELFT::uint));
    header.e_shoff = tableAt;
  }
  std::vector<std::uint8_t> table;
  for (const Shdr &section : sections)
    appendStruct(table, section);
  plan_.patches.push_back({tableAt, std::move(table)});
  std::vector<std::uint8_t> headerBytes;
  appendStruct(headerBytes, header);
  plan_.patches.push_back({0, std::move(headerBytes)});
  return std::nullopt;
}

PKGNOTE_STAMP_INSTANTIATE(std::optional<StampRefusal>, choosePlacement())
PKGNOTE_STAMP_INSTANTIATE(std::uint64_t, newOffsetOf(std::size_t) const)
PKGNOTE_STAMP_INSTANTIATE(bool, buildIdLeaves() const)
PKGNOTE_STAMP_INSTANTIATE(bool, splitBuildIdBlock())
PKGNOTE_STAMP_INSTANTIATE(void, patchSymbols(std::vector<std::uint8_t> &) const)
PKGNOTE_STAMP_INSTANTIATE(std::optional<StampRefusal>, emit())
PKGNOTE_STAMP_INSTANTIATE(std::optional<StampRefusal>, emitSections())

} // namespace pkgnote::detail
