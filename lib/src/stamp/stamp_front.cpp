// SPDX-License-Identifier: MIT
// The stamp planner's reading steps: the first PT_LOAD, the notes (an existing package note, the
// build-id), the movable sections after the program header table grouped into blocks, with the
// package note among them (stamp_planner.h).
#include "pkgnote/note_encoding.h"
#include "stamp/stamp_planner.h"

#include <algorithm>

namespace pkgnote::detail {

using namespace llvm::ELF;

template <class ELFT> OrRefusal<FirstSegment> StampPlanner<ELFT>::findFirstSegment() const {
  FirstSegment first;
  bool found = false;
  for (std::size_t i = 0; i < h_.segments.size(); ++i)
    if (h_.segments[i].p_type == PT_LOAD &&
        (!found || h_.segments[i].p_vaddr < h_.segments[first.index].p_vaddr)) {
      first.index = i;
      found = true;
    }
  if (!found)
    return StampRefusal{"no PT_LOAD segment"};
  const Phdr &load = h_.segments[first.index];
  bool loadsAllEmpty = true;
  for (const Shdr &section : h_.sections)
    if ((section.sh_flags & SHF_ALLOC) && section.sh_size && section.sh_type != SHT_NOBITS)
      loadsAllEmpty = false;
  if (loadsAllEmpty)
    return StampRefusal{"separate debug file (no allocated section has file bytes)", true};
  if (load.p_offset != 0)
    return StampRefusal{"no safe layout: the first PT_LOAD starts at offset " + hex(load.p_offset) +
                        ", not at the ELF header"};
  if (h_.phdrEnd() > load.p_filesz) {
    // A file stamped in the "segment" layout carries its table in the PT_LOAD it added.
    for (const Phdr &other : h_.segments)
      if (other.p_type == PT_LOAD && other.p_offset <= h_.header.e_phoff &&
          h_.phdrEnd() <= other.p_offset + other.p_filesz)
        first.tableElsewhere = true;
    if (!first.tableElsewhere)
      return StampRefusal{"no safe layout: the program header table is not inside a PT_LOAD"};
  }
  if (load.p_align > 1 && (load.p_vaddr % kPage) != 0)
    return StampRefusal{"no safe layout: the first PT_LOAD's address " + hex(load.p_vaddr) +
                        " is not page-aligned"};
  first.bias = load.p_vaddr;
  first.end = load.p_filesz;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &other = h_.segments[i];
    if (i == first.index || other.p_type != PT_LOAD)
      continue;
    if (other.p_vaddr < first.bias + load.p_memsz)
      return StampRefusal{"no safe layout: PT_LOAD " + std::to_string(i) +
                          " overlaps the first one in memory"};
    if (other.p_filesz && other.p_offset < first.end)
      return StampRefusal{"no safe layout: PT_LOAD " + std::to_string(i) +
                          " overlaps the first one in the file"};
  }
  return first;
}

namespace {

// Whether BYTES walk as notes at ALIGN to their end: read/'s walk (forEachNote), run without a
// callback, as the reader will walk them.
template <class ELFT> bool walkableNotes(const std::vector<std::uint8_t> &bytes, unsigned align) {
  llvm::Error error = forEachNote<ELFT>(bytes, 0, align, std::string(), std::string(),
                                        [](const RawNote &) { return llvm::Error::success(); });
  bool walks = !error;
  llvm::consumeError(std::move(error)); // only whether it walks matters here
  return walks;
}

} // namespace

template <class ELFT> OrRefusal<FoundNotes> StampPlanner<ELFT>::scanNotes() const {
  FoundNotes found;
  // Note segments first, then note sections: the reader falls back to sections when segments
  // point elsewhere, so a package note only a section holds would survive the stamping.
  struct Region {
    std::uint64_t offset, size, align;
    bool section;
  };
  std::vector<Region> regions;
  for (const Phdr &segment : h_.segments)
    if (segment.p_type == PT_NOTE && segment.p_filesz)
      regions.push_back({segment.p_offset, segment.p_filesz, segment.p_align, false});
  for (const Shdr &section : h_.sections)
    if (section.sh_type == SHT_NOTE && h_.hasFileBytes(section))
      regions.push_back({section.sh_offset, section.sh_size, section.sh_addralign, true});
  for (const Region &region : regions) {
    // Stamping rewrites the program header table; notes inside it would change under the reader.
    if (region.offset < h_.phdrEnd() && h_.header.e_phoff < region.offset + region.size)
      return StampRefusal{"notes at " + hex(region.offset) + " overlap the program headers at " +
                          hex(h_.header.e_phoff)};
    if (region.align > 1 && region.align != 4 && region.align != 8)
      return StampRefusal{"notes at " + hex(region.offset) + ": alignment " + hex(region.align)};
    if (region.size > kMaxNoteSegment)
      return StampRefusal{"note region at " + hex(region.offset) + " is " + hex(region.size) +
                          " bytes long"};
    std::vector<std::uint8_t> bytes;
    if (!readBytes(region.offset, region.size, bytes))
      return StampRefusal{"cannot read the notes at " + hex(region.offset)};
    // The walk the reader makes (read/elf_notes.h): a PT_NOTE of mold before 1.11 mixes 4- and
    // 8-aligned notes under p_align 8, and reads at 4 when the walk at 8 derails.
    unsigned align = region.align == 8 ? 8 : 4;
    if (align == 8 && !walkableNotes<ELFT>(bytes, 8) && walkableNotes<ELFT>(bytes, 4))
      align = 4;
    // A PT_NOTE whose walk derails is skipped by the reader (it falls back to the sections), so
    // a package note found before the bad one would be replaced but never read back.
    if (!region.section && !walkableNotes<ELFT>(bytes, align))
      return StampRefusal{"note segment at " + hex(region.offset) +
                          ": a note extends past its end (readers ignore the segment)"};
    // The notes as read/'s forEachNote walks them (the reader's walk, offsets aligned in the
    // region); a note running past the end stops the walk, as it stops the readers, and the
    // bytes are only moved, never reinterpreted.
    std::optional<StampRefusal> refusal;
    auto visit = [&](const RawNote &note) -> llvm::Error {
      const char *base = reinterpret_cast<const char *>(bytes.data());
      std::uint64_t at = note.offset - region.offset;
      std::uint64_t end = std::min<std::uint64_t>(
          alignUp(std::uint64_t(note.desc.data() - base) + note.desc.size(), align), bytes.size());
      bool known = std::any_of(found.packages.begin(), found.packages.end(),
                               [&](const FoundNote &n) { return n.offset == note.offset; });
      if (note.name == std::string_view("FDO\0", 4) && note.type == kPackageNoteType && !known) {
        if (region.section) {
          refusal = StampRefusal{"the package note at " + hex(note.offset) +
                                 " is in a section no PT_NOTE covers"};
          return llvm::createStringError(std::errc::invalid_argument, "refused");
        }
        found.packages.push_back({note.offset, end - at});
      }
      if (note.name == std::string_view("GNU\0", 4) && note.type == NT_GNU_BUILD_ID &&
          !found.buildId && !region.section)
        found.buildId = note.offset;
      return llvm::Error::success();
    };
    llvm::consumeError(forEachNote<ELFT>(bytes, region.offset, align, std::string(),
                                         std::string(), visit));
    if (refusal)
      return *refusal;
  }
  if (found.packages.size() > 1) {
    auto merged = mergeIdenticalNotes(std::move(found.packages));
    if (auto *refusal = refusalOf(merged))
      return *refusal;
    found.packages.assign(1, std::get<FoundNote>(merged));
  }
  return found;
}

// Several package notes: identical ones next to each other (a note linked in twice, as some
// distributions' ld.so has it) count as one region, which the new note replaces whole; any
// other set is refused, naming where the notes are.
template <class ELFT>
OrRefusal<FoundNote>
StampPlanner<ELFT>::mergeIdenticalNotes(std::vector<FoundNote> packages) const {
  std::sort(packages.begin(), packages.end(),
            [](const FoundNote &a, const FoundNote &b) { return a.offset < b.offset; });
  std::string where;
  for (const FoundNote &note : packages)
    where += (where.empty() ? "" : ", ") + hex(note.offset);
  std::vector<std::uint8_t> first, other;
  bool identical = readBytes(packages[0].offset, packages[0].size, first);
  bool adjacent = true;
  for (std::size_t i = 1; i < packages.size() && identical; ++i) {
    identical = readBytes(packages[i].offset, packages[i].size, other) && other == first;
    adjacent = adjacent && packages[i].offset == packages[i - 1].offset + packages[i - 1].size;
  }
  if (!identical)
    return StampRefusal{std::to_string(packages.size()) + " different package notes (at " + where +
                        "): which one to replace is not clear"};
  if (!adjacent)
    return StampRefusal{std::to_string(packages.size()) + " identical package notes (at " + where +
                        ") that do not follow each other"};
  return FoundNote{packages.front().offset,
                   packages.back().offset + packages.back().size - packages.front().offset};
}

// The movable sections from the end of the table on, up to the first byte that is not free and
// not movable: S (Front::end).
template <class ELFT>
OrRefusal<Front> StampPlanner<ELFT>::collectFront(const FirstSegment &first) const {
  Front front;
  std::uint64_t cursor = h_.phdrEnd();
  // Go's internal linker puts the section header table right after the program headers: it is
  // rewritten at the end of the file anyway, so its bytes count as free.
  std::uint64_t shdrStart = h_.header.e_shoff,
                shdrEnd = shdrStart + h_.sections.size() * sizeof(Shdr);
  auto zeroTable = [&](std::uint64_t at, std::vector<std::uint8_t> &bytes) {
    for (std::uint64_t i = std::max(at, shdrStart); i < std::min(at + bytes.size(), shdrEnd); ++i)
      bytes[i - at] = 0;
  };
  // Nothing but the headers lies before the end of the table: they are rewritten.
  for (std::size_t i = 0; i < h_.sections.size(); ++i)
    if (h_.hasFileBytes(h_.sections[i]) && h_.sections[i].sh_offset < cursor)
      return StampRefusal{"section " + std::to_string(i) +
                          " overlaps the ELF header or the program header table"};
  if (shdrStart < cursor && shdrEnd > 0)
    return StampRefusal{"section headers overlap the ELF header or the program header table"};
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < h_.sections.size(); ++i) {
    const Shdr &section = h_.sections[i];
    // Unallocated sections count too: inside the segment they end the front (never moved).
    if (!h_.hasFileBytes(section) || section.sh_offset >= first.end)
      continue;
    if (section.sh_offset >= cursor)
      order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return h_.sections[a].sh_offset < h_.sections[b].sh_offset;
  });
  const Phdr *interp = nullptr;
  for (const Phdr &segment : h_.segments)
    if (segment.p_type == PT_INTERP)
      interp = &segment;
  front.end = first.end;
  std::vector<std::uint8_t> gap;
  for (std::size_t index : order) {
    const Shdr &section = h_.sections[index];
    if (section.sh_offset < cursor)
      return StampRefusal{"section " + std::to_string(index) + " overlaps another section"};
    if (section.sh_offset + section.sh_size > first.end)
      return StampRefusal{"section " + std::to_string(index) +
                          " crosses the end of the first PT_LOAD"};
    bool readable = readBytes(cursor, section.sh_offset - cursor, gap);
    zeroTable(cursor, gap);
    if (!readable || std::any_of(gap.begin(), gap.end(), [](std::uint8_t b) { return b != 0; }) ||
        section.sh_offset - h_.phdrEnd() > kMaxFront) {
      front.end = cursor; // bytes no section accounts for: left where they are
      break;
    }
    bool isInterp =
        interp && interp->p_offset == section.sh_offset && interp->p_filesz == section.sh_size;
    bool movable = (section.sh_flags & SHF_ALLOC) && (section.sh_type == SHT_NOTE || isInterp);
    for (const Phdr &segment : h_.segments)
      if (segment.p_type != PT_LOAD && segment.p_type != PT_PHDR && segment.p_filesz &&
          segment.p_offset < section.sh_offset + section.sh_size &&
          section.sh_offset < segment.p_offset + segment.p_filesz && !isPhdrOnly(segment.p_type))
        movable = false;
    if (!movable) {
      front.end = section.sh_offset;
      break;
    }
    StampPiece piece;
    piece.section = static_cast<int>(index);
    piece.originalOffset = section.sh_offset;
    piece.align = std::max<std::uint64_t>(section.sh_addralign, 1);
    if (!isPowerOfTwo(piece.align) || piece.align > kPage)
      return StampRefusal{"section " + std::to_string(index) + ": alignment " +
                          std::to_string(section.sh_addralign)};
    if (!readBytes(section.sh_offset, section.sh_size, piece.bytes))
      return StampRefusal{"cannot read section " + std::to_string(index)};
    front.pieces.push_back(std::move(piece));
    front.originalSizes.push_back(section.sh_size);
    cursor = section.sh_offset + section.sh_size;
  }
  if (front.end == first.end && (front.pieces.empty() || cursor < first.end)) {
    bool readable = first.end - cursor <= kMaxFront && readBytes(cursor, first.end - cursor, gap);
    zeroTable(cursor, gap);
    if (!readable || std::any_of(gap.begin(), gap.end(), [](std::uint8_t b) { return b != 0; }))
      front.end = cursor;
  }
  // A segment of another kind starting in the front, or a program-header-only one reaching past
  // it, ends the front where it starts.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Phdr &segment : h_.segments) {
      bool inFront = segment.p_filesz && segment.p_offset < front.end &&
                     segment.p_offset + segment.p_filesz > h_.phdrEnd();
      if (!inFront || segment.p_type == PT_LOAD || segment.p_type == PT_PHDR)
        continue;
      if (isPhdrOnly(segment.p_type) && segment.p_offset >= h_.phdrEnd() &&
          segment.p_offset + segment.p_filesz <= front.end)
        continue;
      std::uint64_t bound =
          std::max(h_.phdrEnd(), std::min<std::uint64_t>(front.end, segment.p_offset));
      changed = changed || bound < front.end;
      front.end = bound;
    }
  }
  front.tableInFront = shdrStart >= h_.phdrEnd() && shdrEnd <= front.end;
  while (!front.pieces.empty() && front.pieces.back().originalOffset >= front.end) {
    front.pieces.pop_back();
    front.originalSizes.pop_back();
  }
  return front;
}

// Pieces covered together by one segment form a block; each segment's first and last piece.
template <class ELFT>
OrRefusal<std::vector<StampBlock>> StampPlanner<ELFT>::groupBlocks(const FirstSegment &first,
                                                                   const Front &front) const {
  const std::vector<StampPiece> &pieces = front.pieces;
  std::vector<StampBlock> blocks;
  auto pieceEnd = [&](std::size_t k) { return pieces[k].originalOffset + front.originalSizes[k]; };
  std::vector<std::size_t> blockOf(pieces.size());
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    bool joins = false;
    for (const Phdr &segment : h_.segments)
      if (k > 0 && isPhdrOnly(segment.p_type) && segment.p_offset <= pieces[k - 1].originalOffset &&
          segment.p_offset + segment.p_filesz >= pieceEnd(k))
        joins = true;
    if (!joins)
      blocks.emplace_back();
    blockOf[k] = blocks.size() - 1;
    StampPiece piece = pieces[k];
    piece.gapBefore = joins ? piece.originalOffset - pieceEnd(k - 1) : 0;
    blocks.back().align = std::max(blocks.back().align, piece.align);
    blocks.back().pieces.push_back(std::move(piece));
  }
  std::vector<std::size_t> firstIndex(blocks.size());
  for (std::size_t k = pieces.size(); k-- > 0;)
    firstIndex[blockOf[k]] = k;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (!isPhdrOnly(segment.p_type) || !segment.p_filesz || segment.p_offset >= front.end ||
        segment.p_offset < h_.phdrEnd())
      continue;
    std::optional<std::size_t> from, to;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
      if (pieces[k].originalOffset == segment.p_offset)
        from = k;
      if (pieceEnd(k) == segment.p_offset + segment.p_filesz)
        to = k;
    }
    if (!from || !to || blockOf[*from] != blockOf[*to] || segment.p_memsz != segment.p_filesz ||
        segment.p_vaddr != first.bias + segment.p_offset)
      return StampRefusal{"no safe layout: program header " + std::to_string(i) +
                              " does not cover whole sections",
                          false, true};
    if (segment.p_align > kPage || (segment.p_align > 1 && !isPowerOfTwo(segment.p_align)))
      return StampRefusal{"program header " + std::to_string(i) + ": alignment " +
                          hex(segment.p_align)};
    StampBlock &block = blocks[blockOf[*from]];
    block.align = std::max<std::uint64_t>(block.align, segment.p_align);
    std::size_t base = firstIndex[blockOf[*from]];
    block.segments.push_back({i, *from - base, *to - base});
  }
  return blocks;
}

// The package note among the blocks: replacing the old one's piece, or in a block of its own.
template <class ELFT>
OrRefusal<Repack> StampPlanner<ELFT>::addPackageNote(const FoundNotes &notes,
                                                     std::vector<StampBlock> blocks) const {
  Repack repack;
  if (!notes.packages.empty()) {
    const FoundNote &old = notes.packages.front();
    for (StampBlock &block : blocks)
      for (StampPiece &piece : block.pieces) {
        const Shdr &section = h_.sections[piece.section];
        if (piece.originalOffset == old.offset && section.sh_size == old.size &&
            section.sh_type == SHT_NOTE) {
          piece.bytes = note_;
          piece.align = 4;
          piece.package = true;
          repack.newSection = false;
          repack.blocks = std::move(blocks);
          return repack;
        }
      }
    return StampRefusal{"no safe layout: the package note at " + hex(old.offset) +
                            " is not a section of its own among the first segment's notes, and "
                            "the new one has another size",
                        false, true};
  }
  StampBlock block;
  StampPiece piece;
  piece.bytes = note_;
  piece.align = 4;
  piece.package = true;
  block.align = 4;
  block.pieces.push_back(std::move(piece));
  repack.blocks = std::move(blocks);
  repack.blocks.push_back(std::move(block));
  repack.newSegment = true;
  return repack;
}

PKGNOTE_STAMP_INSTANTIATE(OrRefusal<FirstSegment>, findFirstSegment() const)
PKGNOTE_STAMP_INSTANTIATE(OrRefusal<FoundNotes>, scanNotes() const)
PKGNOTE_STAMP_INSTANTIATE(OrRefusal<FoundNote>, mergeIdenticalNotes(std::vector<FoundNote>) const)
PKGNOTE_STAMP_INSTANTIATE(OrRefusal<Front>, collectFront(const FirstSegment &) const)
PKGNOTE_STAMP_INSTANTIATE(OrRefusal<std::vector<StampBlock>>,
                          groupBlocks(const FirstSegment &, const Front &) const)
PKGNOTE_STAMP_INSTANTIATE(OrRefusal<Repack>,
                          addPackageNote(const FoundNotes &, std::vector<StampBlock>) const)

} // namespace pkgnote::detail
