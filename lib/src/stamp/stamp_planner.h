// SPDX-License-Identifier: MIT
// The stamp planner (docs/stamp.md): one class template over ELFT whose only members are its
// inputs (the headers, the reader, the note, the options), never changed. Each step is a const
// member that takes the values earlier steps returned and returns its own (a refusal, or a small
// struct below), and run() composes them (stamp_plan.cpp): stamp_front.cpp (what the file holds
// and what may move), stamp_room.cpp (the slack after the first segment, the DT_ tables that may
// move there), stamp_emit.cpp (where it goes, and the patches), stamp_segment.cpp (a new PT_LOAD at
// the end). Each of those files instantiates its members for the four ELF types.
#pragma once

#include "pkgnote/stamp.h"
#include "stamp/stamp_headers.h"
#include "stamp/stamp_layout.h"

#include <optional>
#include <string>
#include <variant>

namespace pkgnote::detail {

inline constexpr std::uint64_t kMaxNoteSegment = 1u << 20;
inline constexpr std::uint64_t kMaxFront = 16u << 20;
inline constexpr std::uint64_t kMaxShift = 16u << 20;
inline constexpr std::uint64_t kPage = 4096;
inline constexpr char kSectionName[] = ".note.package";

using PlanOrRefusal = std::variant<StampPlan, StampRefusal>;

struct FoundNote {
  std::uint64_t offset = 0, size = 0; // header to padded end
};

template <class T> const StampRefusal *refusalOf(const OrRefusal<T> &result) {
  return std::get_if<StampRefusal>(&result);
}

// The first PT_LOAD, the one the note joins (findFirstSegment).
struct FirstSegment {
  std::size_t index = 0;       // in the program headers
  std::uint64_t bias = 0;      // its p_vaddr (p_offset is 0)
  std::uint64_t end = 0;       // its p_filesz
  bool tableElsewhere = false; // the program header table lies in another PT_LOAD ("segment")
};

// The notes stamping cares about (scanNotes).
struct FoundNotes {
  std::vector<FoundNote> packages; // existing package notes: at most one region once merged
  std::optional<std::uint64_t> buildId;
};

// The movable sections after the program header table (collectFront).
struct Front {
  std::vector<StampPiece> pieces; // in file order
  std::vector<std::uint64_t> originalSizes;
  std::uint64_t end = 0;     // S: the first byte after the table that cannot be repacked
  bool tableInFront = false; // the section header table lies in the repacked front
};

// The blocks to place, the package note's among them (groupBlocks, then addPackageNote).
struct Repack {
  std::vector<StampBlock> blocks;
  bool newSegment = false; // a PT_NOTE entry is added for the package note
  bool newSection = true;  // a .note.package section header is added
};

// How far the rest of the first segment may move (findRoom).
struct Room {
  bool shiftable = false; // [S, end) may shift up as a whole
  std::uint64_t tailAlign = 1;
  std::uint64_t tablesEnd = 0;   // [S, tablesEnd) holds only DT_ tables: they may move whole
  std::uint64_t tablesAlign = 1; // their largest alignment
  std::uint64_t slackLimit = kNoLimit;
};

// The chosen layout in the first segment (choosePlacement): where each block goes and which
// bytes after S move how far.
struct Placement {
  std::string layout; // "gap", "shift", "move", "tail"
  std::vector<StampBlock> blocks;
  std::uint64_t front = 0;    // S
  std::uint64_t delta = 0;    // how far [S, moveEnd) moves
  std::uint64_t moveEnd = 0;  // end of the moved bytes: the old end (shift) or tablesEnd (move)
  std::uint64_t newEnd = 0;   // the first segment's new p_filesz
  bool noteWithBlock = false; // the new PT_NOTE covers the package note's whole block

  bool inShifted(std::uint64_t offset) const { return offset >= front && offset < moveEnd; }
};

inline bool isDynamicPointer(std::int64_t tag) {
  using namespace llvm::ELF;
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
inline bool isDynamicTable(unsigned type) {
  using namespace llvm::ELF;
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

inline bool isPhdrOnly(unsigned type) {
  using namespace llvm::ELF;
  return type == PT_NOTE || type == PT_INTERP || type == PT_GNU_PROPERTY;
}

template <class ELFT> class StampPlanner {
  using Ehdr = typename ELFT::Ehdr;
  using Phdr = typename ELFT::Phdr;
  using Shdr = typename ELFT::Shdr;
  using Dyn = typename ELFT::Dyn;
  using Sym = typename ELFT::Sym;
  using Nhdr = typename ELFT::Nhdr;

public:
  StampPlanner(const StampReader &read, StampHeaders<ELFT> headers, std::vector<std::uint8_t> note,
               const StampOptions &options)
      : read_(read), h_(std::move(headers)), note_(std::move(note)), options_(options) {}

  PlanOrRefusal run() const;

private:
  // PT_DYNAMIC's entries, which move with the tables they point at (readDynamic).
  struct DynamicTable {
    std::vector<Dyn> entries;
    std::optional<std::size_t> segment;
  };
  // What emit hands emitSections: the patches so far and where the package note went.
  struct Emitted {
    std::vector<StampPatch> patches;
    std::uint64_t noteOffset = 0;
  };

  // stamp_front.cpp: what the file holds and what may move.
  OrRefusal<FirstSegment> findFirstSegment() const;
  OrRefusal<FoundNotes> scanNotes() const;
  OrRefusal<FoundNote> mergeIdenticalNotes(std::vector<FoundNote> packages) const;
  OrRefusal<Front> collectFront(const FirstSegment &first) const;
  OrRefusal<std::vector<StampBlock>> groupBlocks(const FirstSegment &first,
                                                 const Front &front) const;
  OrRefusal<Repack> addPackageNote(const FoundNotes &notes, std::vector<StampBlock> blocks) const;
  // stamp_room.cpp: how far the rest of the first segment may move.
  OrRefusal<DynamicTable> readDynamic() const;
  Room findRoom(const FirstSegment &first, std::uint64_t frontEnd,
                const DynamicTable &dynamic) const;
  std::uint64_t findSlackLimit(const FirstSegment &first) const;
  Room findMovableTables(const FirstSegment &first, std::uint64_t frontEnd,
                         const DynamicTable &dynamic, Room room) const;
  // stamp_plan.cpp: the layouts that keep the note in the first segment.
  std::optional<PlanOrRefusal> replaceAtEnd(const FirstSegment &first,
                                            const FoundNotes &notes) const;
  PlanOrRefusal repackFirstSegment(const FirstSegment &first, const FoundNotes &notes) const;
  // stamp_emit.cpp: the placement, then the patches.
  OrRefusal<Placement> choosePlacement(const FirstSegment &first, const FoundNotes &notes,
                                       const Front &front, const Repack &repack,
                                       const Room &room) const;
  OrRefusal<Emitted> emit(const FirstSegment &first, const Repack &repack,
                          const Placement &placement, DynamicTable dynamic) const;
  OrRefusal<std::vector<StampPatch>> emitSections(const FirstSegment &first, const Front &front,
                                                  const Repack &repack, const Placement &placement,
                                                  std::uint64_t noteOffset) const;
  bool splitBuildIdBlock(std::vector<StampBlock> &blocks,
                         std::optional<std::uint64_t> buildId) const;
  void patchSymbols(const Placement &placement, std::vector<std::uint8_t> &bytes) const;
  std::uint64_t newOffsetOf(const Placement &placement, std::size_t section) const;
  // stamp_segment.cpp: the note (and the table) in a new PT_LOAD at the end.
  bool findOwnNote(const FoundNote &old, std::size_t &section, std::size_t &segment) const;
  OrRefusal<std::vector<StampPatch>> moveSectionSymbols(std::size_t section,
                                                        std::uint64_t address) const;
  std::optional<PlanOrRefusal> regrowLastSegment(const FirstSegment &first,
                                                 const FoundNotes &notes) const;
  PlanOrRefusal placeInNewSegment(const FirstSegment &first, const FoundNotes &notes) const;
  StampPlan finishSegmentPlan(StampPlan plan, const Ehdr &header,
                              const std::vector<Shdr> &sections) const;

  bool readBytes(std::uint64_t offset, std::uint64_t size, std::vector<std::uint8_t> &out) const {
    out.resize(size);
    return size == 0 || read_(offset, size, out.data());
  }

  const StampReader &read_;
  const StampHeaders<ELFT> h_;
  const std::vector<std::uint8_t> note_;
  const StampOptions &options_;
};

// Explicit instantiation of one member for the four ELF types (in the file that defines it).
#define PKGNOTE_STAMP_INSTANTIATE(RETURN, MEMBER)                                                  \
  template RETURN StampPlanner<llvm::object::ELF32LE>::MEMBER;                                     \
  template RETURN StampPlanner<llvm::object::ELF32BE>::MEMBER;                                     \
  template RETURN StampPlanner<llvm::object::ELF64LE>::MEMBER;                                     \
  template RETURN StampPlanner<llvm::object::ELF64BE>::MEMBER;

} // namespace pkgnote::detail
