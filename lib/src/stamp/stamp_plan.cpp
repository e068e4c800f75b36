// SPDX-License-Identifier: MIT
// planStamp: where the package note goes in a linked ELF file, as byte patches (docs/stamp.md).
//
// The note must be in a PT_NOTE inside the first PT_LOAD and, for cores, in the file's first
// page together with the program header table (the kernel dumps only that page of a file-backed
// mapping; a core reader finds a module's notes through the table found there). The first
// segment's front (after the table) holds sections only program headers reference; they are
// repacked as [table + 1 entry][build-id block][package note][other blocks]. Room comes from, in
// order of preference: free bytes already there ("gap": Go's internal linker); shifting the rest
// of the first segment, whose sections only DT_ tags reference, into the slack before the next
// segment's page ("shift": GNU ld's -z separate-code layout); moving the blocks that no longer
// fit to that slack ("tail": static programs, whose first segment holds code-referenced data).
// Anything else is refused with the file untouched.
#include "pkgnote/note_encoding.h"
#include "pkgnote/stamp.h"
#include "stamp/stamp_headers.h"
#include "stamp/stamp_layout.h"

#include <algorithm>
#include <variant>

namespace pkgnote {
namespace detail {
namespace {

using namespace llvm::ELF;

constexpr std::uint64_t kMaxNoteSegment = 1u << 20;
constexpr std::uint64_t kMaxFront = 16u << 20;
constexpr std::uint64_t kMaxShift = 16u << 20;
constexpr std::uint64_t kPage = 4096;
constexpr char kSectionName[] = ".note.package";

struct FoundNote {
  std::uint64_t offset = 0, size = 0; // header to padded end
};

bool isDynamicPointer(std::int64_t tag) {
  switch (tag) {
  case DT_PLTGOT:
  case DT_HASH:
  case DT_STRTAB:
  case DT_SYMTAB:
  case DT_RELA:
  case DT_INIT:
  case DT_FINI:
  case DT_REL:
  case DT_JMPREL:
  case DT_INIT_ARRAY:
  case DT_FINI_ARRAY:
  case DT_PREINIT_ARRAY:
  case DT_SYMTAB_SHNDX:
  case 36 /* DT_RELR */:
  case DT_VERSYM:
  case DT_VERDEF:
  case DT_VERNEED:
    return true;
  default:
    return tag >= 0x6ffffe00 && tag <= 0x6ffffeff; // DT_ADDRRNGLO..DT_ADDRRNGHI
  }
}

// Sections the dynamic linker finds through DT_ tags alone: they may move when the tags move.
bool isDynamicTable(unsigned type) {
  switch (type) {
  case SHT_GNU_HASH:
  case SHT_HASH:
  case SHT_DYNSYM:
  case SHT_STRTAB:
  case SHT_GNU_versym:
  case SHT_GNU_verdef:
  case SHT_GNU_verneed:
  case SHT_RELA:
  case SHT_REL:
  case 19 /* RELR */:
    return true;
  default:
    return false;
  }
}

bool isPhdrOnly(unsigned type) {
  return type == PT_NOTE || type == PT_INTERP || type == PT_GNU_PROPERTY;
}

template <class ELFT> class StampPlanner {
  using Phdr = typename ELFT::Phdr;
  using Shdr = typename ELFT::Shdr;
  using Dyn = typename ELFT::Dyn;
  using Sym = typename ELFT::Sym;
  using Nhdr = typename ELFT::Nhdr;

public:
  StampPlanner(const StampReader &read, StampHeaders<ELFT> headers, std::vector<std::uint8_t> note,
               const StampOptions &options)
      : read_(read), h_(std::move(headers)), note_(std::move(note)), options_(options) {}

  std::variant<StampPlan, StampRefusal> run();

private:
  std::optional<StampRefusal> findFirstSegment();
  std::optional<StampRefusal> scanNotes();
  std::optional<StampRefusal> collectFront();
  std::optional<StampRefusal> groupBlocks();
  std::optional<StampRefusal> addPackageNote();
  std::optional<StampRefusal> checkTail();
  std::optional<StampRefusal> readDynamic();
  std::optional<StampRefusal> choosePlacement();
  std::optional<StampRefusal> emit();
  std::optional<StampRefusal> emitSections();
  void patchSymbols(std::vector<std::uint8_t> &bytes) const;
  bool readBytes(std::uint64_t offset, std::uint64_t size, std::vector<std::uint8_t> &out) const {
    out.resize(size);
    return size == 0 || read_(offset, size, out.data());
  }
  bool inShifted(std::uint64_t offset) const { return offset >= front_ && offset < oldEnd_; }
  std::uint64_t newOffsetOf(std::size_t section) const;

  const StampReader &read_;
  StampHeaders<ELFT> h_;
  std::vector<std::uint8_t> note_;
  const StampOptions &options_;
  StampPlan plan_;

  std::size_t first_ = 0;           // index of the first PT_LOAD
  std::uint64_t bias_ = 0;          // its p_vaddr (p_offset is 0)
  std::uint64_t oldEnd_ = 0;        // its p_filesz
  std::vector<FoundNote> packages_; // existing package notes
  std::optional<std::uint64_t> buildId_;
  std::vector<StampPiece> pieces_; // movable sections after the table, in file order
  std::vector<std::uint64_t> originalSizes_;
  std::uint64_t front_ = 0; // S: the first byte after the table that cannot be repacked
  std::vector<StampBlock> blocks_;
  bool newSegment_ = false; // a PT_NOTE entry is added for the package note
  bool newSection_ = true;  // a .note.package section header is added
  bool shiftable_ = false;
  std::uint64_t tailAlign_ = 1;
  std::uint64_t slackLimit_ = kNoLimit;
  std::vector<Dyn> dynamic_;
  std::optional<std::size_t> dynamicSegment_;
  std::uint64_t delta_ = 0; // how far [S, oldEnd) moves
  std::uint64_t newEnd_ = 0;
  std::uint64_t noteOffset_ = 0;
  bool tableInFront_ = false; // the section header table lies in the repacked front
};

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::findFirstSegment() {
  bool found = false;
  for (std::size_t i = 0; i < h_.segments.size(); ++i)
    if (h_.segments[i].p_type == PT_LOAD &&
        (!found || h_.segments[i].p_vaddr < h_.segments[first_].p_vaddr)) {
      first_ = i;
      found = true;
    }
  if (!found)
    return StampRefusal{"no PT_LOAD segment"};
  const Phdr &load = h_.segments[first_];
  bool loadsAllEmpty = true;
  for (const Shdr &section : h_.sections)
    if ((section.sh_flags & SHF_ALLOC) && section.sh_size && section.sh_type != SHT_NOBITS)
      loadsAllEmpty = false;
  if (loadsAllEmpty)
    return StampRefusal{"separate debug file (no allocated section has file bytes)", true};
  if (load.p_offset != 0)
    return StampRefusal{"no safe layout: the first PT_LOAD starts at offset " + hex(load.p_offset) +
                        ", not at the ELF header"};
  if (h_.phdrEnd() > load.p_filesz)
    return StampRefusal{"no safe layout: the program header table is not inside the first "
                        "PT_LOAD"};
  if (load.p_align > 1 && (load.p_vaddr % kPage) != 0)
    return StampRefusal{"no safe layout: the first PT_LOAD's address " + hex(load.p_vaddr) +
                        " is not page-aligned"};
  bias_ = load.p_vaddr;
  oldEnd_ = load.p_filesz;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &other = h_.segments[i];
    if (i == first_ || other.p_type != PT_LOAD)
      continue;
    if (other.p_vaddr < bias_ + load.p_memsz)
      return StampRefusal{"no safe layout: PT_LOAD " + std::to_string(i) +
                          " overlaps the first one in memory"};
  }
  return std::nullopt;
}

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::scanNotes() {
  for (const Phdr &segment : h_.segments) {
    if (segment.p_type != PT_NOTE || segment.p_filesz == 0)
      continue;
    if (segment.p_filesz > kMaxNoteSegment)
      return StampRefusal{"PT_NOTE at " + hex(segment.p_offset) + " is " + hex(segment.p_filesz) +
                          " bytes long"};
    std::vector<std::uint8_t> bytes;
    if (!readBytes(segment.p_offset, segment.p_filesz, bytes))
      return StampRefusal{"cannot read PT_NOTE at " + hex(segment.p_offset)};
    std::uint64_t align = segment.p_align == 8 ? 8 : 4;
    std::uint64_t at = 0;
    while (at + sizeof(Nhdr) <= bytes.size()) {
      Nhdr header;
      std::memcpy(static_cast<void *>(&header), bytes.data() + at, sizeof header);
      std::uint64_t name = at + sizeof header, end = 0;
      std::uint64_t desc = name + alignUp(header.n_namesz, align);
      if (!fitsWithin(desc, alignUp(header.n_descsz, align), bytes.size(), end) &&
          !fitsWithin(desc, header.n_descsz, bytes.size(), end))
        break; // the readers report it; the bytes are only moved, never reinterpreted
      auto owner = [&](std::string_view expected) {
        return header.n_namesz == expected.size() + 1 &&
               std::memcmp(bytes.data() + name, expected.data(), expected.size() + 1) == 0;
      };
      std::uint64_t offset = segment.p_offset + at;
      if (owner(std::string_view("FDO\0", 3)) && header.n_type == kPackageNoteType &&
          std::none_of(packages_.begin(), packages_.end(),
                       [&](const FoundNote &n) { return n.offset == offset; }))
        packages_.push_back({offset, end - at});
      if (owner(std::string_view("GNU\0", 3)) && header.n_type == NT_GNU_BUILD_ID && !buildId_)
        buildId_ = offset;
      at = end;
    }
  }
  if (packages_.size() > 1)
    return StampRefusal{std::to_string(packages_.size()) +
                        " package notes: which one to replace is not clear"};
  return std::nullopt;
}

// The movable sections from the end of the table on, up to the first byte that is not free and
// not movable: S (front_).
template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::collectFront() {
  std::uint64_t tableStart = h_.header.e_phoff, cursor = h_.phdrEnd();
  // Go's internal linker puts the section header table right after the program headers: it is
  // rewritten at the end of the file anyway, so its bytes count as free.
  std::uint64_t shdrStart = h_.header.e_shoff,
                shdrEnd = shdrStart + h_.sections.size() * sizeof(Shdr);
  auto zeroTable = [&](std::uint64_t at, std::vector<std::uint8_t> &bytes) {
    for (std::uint64_t i = std::max(at, shdrStart); i < std::min(at + bytes.size(), shdrEnd); ++i)
      bytes[i - at] = 0;
  };
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < h_.sections.size(); ++i) {
    const Shdr &section = h_.sections[i];
    if (!(section.sh_flags & SHF_ALLOC) || !h_.hasFileBytes(section) ||
        section.sh_offset >= oldEnd_)
      continue;
    if (section.sh_offset + section.sh_size > tableStart && section.sh_offset < cursor)
      return StampRefusal{"section " + std::to_string(i) + " overlaps the program header table"};
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
  front_ = oldEnd_;
  std::vector<std::uint8_t> gap;
  for (std::size_t index : order) {
    const Shdr &section = h_.sections[index];
    if (section.sh_offset < cursor)
      return StampRefusal{"section " + std::to_string(index) + " overlaps another section"};
    if (section.sh_offset + section.sh_size > oldEnd_)
      return StampRefusal{"section " + std::to_string(index) +
                          " crosses the end of the first PT_LOAD"};
    bool readable = readBytes(cursor, section.sh_offset - cursor, gap);
    zeroTable(cursor, gap);
    if (!readable || std::any_of(gap.begin(), gap.end(), [](std::uint8_t b) { return b != 0; }) ||
        section.sh_offset - h_.phdrEnd() > kMaxFront) {
      front_ = cursor; // bytes no section accounts for: left where they are
      break;
    }
    bool isInterp =
        interp && interp->p_offset == section.sh_offset && interp->p_filesz == section.sh_size;
    bool movable = section.sh_type == SHT_NOTE || isInterp;
    for (const Phdr &segment : h_.segments)
      if (segment.p_type != PT_LOAD && segment.p_type != PT_PHDR && segment.p_filesz &&
          segment.p_offset < section.sh_offset + section.sh_size &&
          section.sh_offset < segment.p_offset + segment.p_filesz && !isPhdrOnly(segment.p_type))
        movable = false;
    if (!movable) {
      front_ = section.sh_offset;
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
    pieces_.push_back(std::move(piece));
    originalSizes_.push_back(section.sh_size);
    cursor = section.sh_offset + section.sh_size;
  }
  if (front_ == oldEnd_ && (pieces_.empty() || cursor < oldEnd_)) {
    bool readable = oldEnd_ - cursor <= kMaxFront && readBytes(cursor, oldEnd_ - cursor, gap);
    zeroTable(cursor, gap);
    if (!readable || std::any_of(gap.begin(), gap.end(), [](std::uint8_t b) { return b != 0; }))
      front_ = cursor;
  }
  // A segment of another kind starting in the front, or a program-header-only one reaching past
  // it, ends the front where it starts.
  for (bool changed = true; changed;) {
    changed = false;
    for (const Phdr &segment : h_.segments) {
      bool inFront = segment.p_filesz && segment.p_offset < front_ &&
                     segment.p_offset + segment.p_filesz > h_.phdrEnd();
      if (!inFront || segment.p_type == PT_LOAD || segment.p_type == PT_PHDR)
        continue;
      if (isPhdrOnly(segment.p_type) && segment.p_offset >= h_.phdrEnd() &&
          segment.p_offset + segment.p_filesz <= front_)
        continue;
      front_ = std::max(h_.phdrEnd(), std::min<std::uint64_t>(front_, segment.p_offset));
      changed = true;
    }
  }
  tableInFront_ = shdrStart >= h_.phdrEnd() && shdrEnd <= front_;
  while (!pieces_.empty() && pieces_.back().originalOffset >= front_) {
    pieces_.pop_back();
    originalSizes_.pop_back();
  }
  return std::nullopt;
}

// Pieces covered together by one segment form a block; each segment's first and last piece.
template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::groupBlocks() {
  auto pieceEnd = [&](std::size_t k) { return pieces_[k].originalOffset + originalSizes_[k]; };
  std::vector<std::size_t> blockOf(pieces_.size());
  for (std::size_t k = 0; k < pieces_.size(); ++k) {
    bool joins = false;
    for (const Phdr &segment : h_.segments)
      if (k > 0 && isPhdrOnly(segment.p_type) &&
          segment.p_offset <= pieces_[k - 1].originalOffset &&
          segment.p_offset + segment.p_filesz >= pieceEnd(k))
        joins = true;
    if (!joins)
      blocks_.emplace_back();
    blockOf[k] = blocks_.size() - 1;
    StampPiece piece = pieces_[k];
    piece.gapBefore = joins ? piece.originalOffset - pieceEnd(k - 1) : 0;
    blocks_.back().align = std::max(blocks_.back().align, piece.align);
    blocks_.back().pieces.push_back(std::move(piece));
  }
  std::vector<std::size_t> firstIndex(blocks_.size());
  for (std::size_t k = pieces_.size(); k-- > 0;)
    firstIndex[blockOf[k]] = k;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (!isPhdrOnly(segment.p_type) || !segment.p_filesz || segment.p_offset >= front_ ||
        segment.p_offset < h_.phdrEnd())
      continue;
    std::optional<std::size_t> from, to;
    for (std::size_t k = 0; k < pieces_.size(); ++k) {
      if (pieces_[k].originalOffset == segment.p_offset)
        from = k;
      if (pieceEnd(k) == segment.p_offset + segment.p_filesz)
        to = k;
    }
    if (!from || !to || blockOf[*from] != blockOf[*to] || segment.p_memsz != segment.p_filesz ||
        segment.p_vaddr != bias_ + segment.p_offset)
      return StampRefusal{"no safe layout: program header " + std::to_string(i) +
                          " does not cover whole sections"};
    if (segment.p_align > kPage || (segment.p_align > 1 && !isPowerOfTwo(segment.p_align)))
      return StampRefusal{"program header " + std::to_string(i) + ": alignment " +
                          hex(segment.p_align)};
    StampBlock &block = blocks_[blockOf[*from]];
    block.align = std::max<std::uint64_t>(block.align, segment.p_align);
    std::size_t base = firstIndex[blockOf[*from]];
    block.segments.push_back({i, *from - base, *to - base});
  }
  return std::nullopt;
}

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::addPackageNote() {
  if (!packages_.empty()) {
    const FoundNote &old = packages_.front();
    for (StampBlock &block : blocks_)
      for (StampPiece &piece : block.pieces) {
        const Shdr &section = h_.sections[piece.section];
        if (piece.originalOffset == old.offset && section.sh_size == old.size &&
            section.sh_type == SHT_NOTE) {
          piece.bytes = note_;
          piece.align = 4;
          piece.package = true;
          newSection_ = false;
          return std::nullopt;
        }
      }
    return StampRefusal{"no safe layout: the package note at " + hex(old.offset) +
                        " is not a section of its own among the first segment's notes, and the "
                        "new one has another size"};
  }
  StampBlock block;
  StampPiece piece;
  piece.bytes = note_;
  piece.align = 4;
  piece.package = true;
  block.align = 4;
  block.pieces.push_back(std::move(piece));
  blocks_.push_back(std::move(block));
  newSegment_ = true;
  return std::nullopt;
}

template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::readDynamic() {
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (segment.p_type != PT_DYNAMIC)
      continue;
    if (segment.p_filesz > kMaxNoteSegment)
      return StampRefusal{"PT_DYNAMIC is " + hex(segment.p_filesz) + " bytes long"};
    std::vector<std::uint8_t> bytes;
    if (!readBytes(segment.p_offset, segment.p_filesz, bytes))
      return StampRefusal{"cannot read PT_DYNAMIC"};
    dynamic_.resize(bytes.size() / sizeof(Dyn));
    if (!dynamic_.empty())
      std::memcpy(static_cast<void *>(dynamic_.data()), bytes.data(),
                  dynamic_.size() * sizeof(Dyn));
    dynamicSegment_ = i;
    break;
  }
  return std::nullopt;
}

// Whether [S, oldEnd) may move as a whole: it holds only tables the dynamic linker finds through
// DT_ tags (which move with it) and notes, no code (the entry point) and no other segment.
template <class ELFT> std::optional<StampRefusal> StampPlanner<ELFT>::checkTail() {
  shiftable_ = true;
  std::uint64_t shdrStart = h_.header.e_shoff,
                shdrEnd = shdrStart + h_.sections.size() * sizeof(Shdr);
  if (shdrEnd > front_ && shdrStart < oldEnd_)
    shiftable_ = false;
  for (const Shdr &section : h_.sections) {
    if (section.sh_size == 0 || section.sh_offset < front_ || section.sh_offset >= oldEnd_ ||
        section.sh_type == SHT_NOBITS)
      continue;
    if (!(section.sh_flags & SHF_ALLOC)) {
      shiftable_ = false;
      continue;
    }
    bool referenced = section.sh_type == SHT_NOTE;
    if (isDynamicTable(section.sh_type))
      for (const Dyn &entry : dynamic_)
        if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr == section.sh_addr)
          referenced = true;
    if (!referenced || section.sh_addr != bias_ + section.sh_offset)
      shiftable_ = false;
    tailAlign_ = std::max<std::uint64_t>(tailAlign_, section.sh_addralign);
  }
  for (const Phdr &segment : h_.segments) {
    if (segment.p_type == PT_LOAD || segment.p_type == PT_PHDR || !segment.p_filesz ||
        segment.p_offset + segment.p_filesz <= front_ || segment.p_offset >= oldEnd_)
      continue;
    if (!isPhdrOnly(segment.p_type) || segment.p_offset < front_ ||
        segment.p_offset + segment.p_filesz > oldEnd_)
      shiftable_ = false;
    tailAlign_ = std::max<std::uint64_t>(tailAlign_, segment.p_align);
  }
  std::uint64_t entry = h_.header.e_entry;
  if (entry >= bias_ + front_ && entry < bias_ + oldEnd_)
    shiftable_ = false;
  // The moved bytes are held in memory: beyond this, the notes go to the slack instead.
  if (!isPowerOfTwo(tailAlign_) || tailAlign_ > kPage || oldEnd_ - front_ > kMaxShift)
    shiftable_ = false;
  // The first segment may grow up to the next thing in the file and the page of the next
  // segment in memory.
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (i == first_)
      continue;
    if (segment.p_filesz && segment.p_offset >= oldEnd_)
      slackLimit_ = std::min<std::uint64_t>(slackLimit_, segment.p_offset);
    if (segment.p_type == PT_LOAD) {
      std::uint64_t align = isPowerOfTwo(segment.p_align) ? segment.p_align : 1;
      align = std::max(align, kPage);
      std::uint64_t page = segment.p_vaddr / align * align;
      slackLimit_ = std::min(slackLimit_, page > bias_ ? page - bias_ : 0);
    }
  }
  for (const Shdr &section : h_.sections)
    if (h_.hasFileBytes(section) && section.sh_offset >= oldEnd_)
      slackLimit_ = std::min<std::uint64_t>(slackLimit_, section.sh_offset);
  if (h_.header.e_shoff >= oldEnd_)
    slackLimit_ = std::min<std::uint64_t>(slackLimit_, h_.header.e_shoff);
  return std::nullopt;
}

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
  if (table > front_)
    return StampRefusal{"no safe layout: no room for one more program header before " +
                        hex(front_) + " and the sections from there on cannot move"};
  placeBlocks(blocks_, table, front_);
  newEnd_ = placeTail(blocks_, oldEnd_);
  if (!canGrow)
    return StampRefusal{"no safe layout: the first PT_LOAD has p_memsz above p_filesz"};
  if (newEnd_ > slackLimit_)
    return StampRefusal{"no safe layout: " + std::to_string(newEnd_ - oldEnd_) +
                        " bytes needed after the first PT_LOAD, " +
                        std::to_string(slackLimit_ > oldEnd_ ? slackLimit_ - oldEnd_ : 0) +
                        " free there"};
  // A core keeps a module's build-id only from its first page: it must not move out of it.
  for (const StampBlock &block : blocks_)
    if (buildId_ && *buildId_ < kPage && block.inTail && !block.pieces.empty() &&
        *buildId_ >= block.pieces.front().originalOffset &&
        *buildId_ < block.pieces.front().originalOffset + block.size &&
        block.position + block.size > kPage)
      return StampRefusal{"no safe layout: the build-id note would leave the first page (" +
                          std::to_string(kPage) + " bytes), where cores keep it"};
  plan_.outcome.layout = "tail";
  return std::nullopt;
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
  std::uint64_t frontEnd = front_ + delta_;
  std::vector<std::uint8_t> front(frontEnd - start, 0);
  std::vector<Phdr> segments = h_.segments;
  std::size_t count = segments.size() + newSegment_;
  for (const StampBlock &block : blocks_) {
    std::vector<std::uint8_t> &target = front;
    std::vector<std::uint8_t> tail;
    for (const StampPiece &piece : block.pieces) {
      if (piece.package)
        noteOffset_ = block.position + piece.relative;
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
    note.p_offset = noteOffset_;
    note.p_vaddr = bias_ + noteOffset_;
    note.p_paddr = load.p_paddr + noteOffset_;
    note.p_filesz = note_.size();
    note.p_memsz = note_.size();
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
    if (oldEnd_ - front_ > kMaxStampTable || !readBytes(front_, oldEnd_ - front_, shifted))
      return StampRefusal{"cannot read the first segment from " + hex(front_)};
    for (const Shdr &section : h_.sections)
      if (section.sh_type == SHT_DYNSYM && inShifted(section.sh_offset) &&
          section.sh_offset + section.sh_size <= oldEnd_) {
        std::vector<std::uint8_t> table(shifted.begin() + (section.sh_offset - front_),
                                        shifted.begin() +
                                            (section.sh_offset - front_ + section.sh_size));
        patchSymbols(table);
        std::copy(table.begin(), table.end(), shifted.begin() + (section.sh_offset - front_));
      }
    plan_.patches.push_back({frontEnd, std::move(shifted)});
    std::vector<std::uint8_t> dynamic;
    for (Dyn &entry : dynamic_)
      if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr >= bias_ + front_ &&
          entry.d_un.d_ptr < bias_ + oldEnd_)
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

template <class ELFT> std::variant<StampPlan, StampRefusal> StampPlanner<ELFT>::run() {
  plan_.newSize = h_.fileSize;
  if (auto refusal = findFirstSegment())
    return *refusal;
  if (auto refusal = scanNotes())
    return *refusal;
  if (options_.ifUnstamped && !packages_.empty()) {
    plan_.outcome.action = StampAction::LeftAlone;
    return plan_;
  }
  plan_.outcome.replacedNote = !packages_.empty();
  if (!packages_.empty() && packages_.front().size == note_.size()) {
    // Same size: the note is rewritten where it is (the second stamping of a file).
    plan_.outcome.layout = "in-place";
    plan_.outcome.noteInFirstPage =
        packages_.front().offset + note_.size() <= kPage && h_.phdrEnd() <= kPage;
    plan_.patches.push_back({packages_.front().offset, note_});
    return plan_;
  }
  for (auto step : {&StampPlanner::collectFront, &StampPlanner::groupBlocks,
                    &StampPlanner::addPackageNote, &StampPlanner::readDynamic,
                    &StampPlanner::checkTail, &StampPlanner::choosePlacement, &StampPlanner::emit})
    if (auto refusal = (this->*step)())
      return *refusal;
  for (const StampPatch &patch : plan_.patches)
    plan_.newSize = std::max<std::uint64_t>(plan_.newSize, patch.offset + patch.bytes.size());
  return plan_;
}

template <class ELFT>
Result<StampPlan> planFor(const StampReader &read, std::uint64_t fileSize, std::string_view json,
                          const StampOptions &options, const std::string &name) {
  auto refused = [&](const StampRefusal &refusal) -> Result<StampPlan> {
    if (refusal.skippable && options.skipUnstampable) {
      StampPlan plan;
      plan.outcome.action = StampAction::Skipped;
      plan.outcome.skipReason = refusal.message;
      plan.newSize = fileSize;
      return plan;
    }
    return Error{"'" + name + "': " + refusal.message};
  };
  StampHeaders<ELFT> headers;
  if (auto refusal = readStampHeaders<ELFT>(read, fileSize, headers))
    return refused(*refusal);
  Endian endian = ELFT::TargetEndianness == llvm::support::little ? Endian::Little : Endian::Big;
  StampPlanner<ELFT> planner(read, std::move(headers), encodePackageNote(json, endian), options);
  auto result = planner.run();
  if (auto *refusal = std::get_if<StampRefusal>(&result))
    return refused(*refusal);
  return std::get<StampPlan>(std::move(result));
}

} // namespace
} // namespace detail

Result<StampPlan> planStamp(const StampReader &read, std::uint64_t fileSize,
                            std::string_view payloadJson, const StampOptions &options,
                            const std::string &name) {
  using namespace llvm::ELF;
  unsigned char ident[EI_NIDENT] = {};
  if (fileSize < EI_NIDENT || !read(0, EI_NIDENT, ident) || std::memcmp(ident, ElfMagic, 4) != 0) {
    if (options.skipUnstampable) {
      StampPlan plan;
      plan.outcome.action = StampAction::Skipped;
      plan.outcome.skipReason = "not an ELF file";
      plan.newSize = fileSize;
      return plan;
    }
    return Error{"'" + name + "': not an ELF file"};
  }
  unsigned char fileClass = ident[EI_CLASS], data = ident[EI_DATA];
  using namespace llvm::object;
  if (fileClass == ELFCLASS32 && data == ELFDATA2LSB)
    return detail::planFor<ELF32LE>(read, fileSize, payloadJson, options, name);
  if (fileClass == ELFCLASS32 && data == ELFDATA2MSB)
    return detail::planFor<ELF32BE>(read, fileSize, payloadJson, options, name);
  if (fileClass == ELFCLASS64 && data == ELFDATA2LSB)
    return detail::planFor<ELF64LE>(read, fileSize, payloadJson, options, name);
  if (fileClass == ELFCLASS64 && data == ELFDATA2MSB)
    return detail::planFor<ELF64BE>(read, fileSize, payloadJson, options, name);
  return Error{"'" + name + "': unknown ELF class " + std::to_string(fileClass) +
               " or byte order " + std::to_string(data)};
}

std::string applyStampPlan(std::string_view bytes, const StampPlan &plan) {
  std::string out(bytes);
  std::uint64_t size = plan.newSize;
  for (const StampPatch &patch : plan.patches)
    size = std::max<std::uint64_t>(size, patch.offset + patch.bytes.size());
  out.resize(size, '\0');
  for (const StampPatch &patch : plan.patches)
    std::copy(patch.bytes.begin(), patch.bytes.end(), out.begin() + patch.offset);
  out.resize(plan.newSize);
  return out;
}

} // namespace pkgnote
