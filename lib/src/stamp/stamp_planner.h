// SPDX-License-Identifier: MIT
// The stamp planner's state and steps (docs/stamp.md), one class template over ELFT whose
// members are defined by phase: stamp_front.cpp (what the file holds and what may move),
// stamp_room.cpp (the slack after the first segment, the DT_ tables that may move there),
// stamp_emit.cpp (where it goes, and the patches), stamp_plan.cpp (the order of the steps).
// Each of those files instantiates its members for the four ELF types.
#pragma once

#include "pkgnote/stamp.h"
#include "stamp/stamp_headers.h"
#include "stamp/stamp_layout.h"

#include <optional>
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

  std::variant<StampPlan, StampRefusal> run();

private:
  std::optional<StampRefusal> findFirstSegment();
  std::optional<StampRefusal> scanNotes();
  std::optional<StampRefusal> mergeIdenticalNotes();
  static bool walkableNotes(const std::vector<std::uint8_t> &bytes, std::uint64_t align);
  std::optional<StampRefusal> collectFront();
  std::optional<StampRefusal> groupBlocks();
  std::optional<StampRefusal> addPackageNote();
  std::optional<StampRefusal> checkTail();
  void findMovableTables();
  void findSlackLimit();
  std::optional<std::variant<StampPlan, StampRefusal>> replaceAtEnd();
  // stamp_segment.cpp: the note (and the table) in a new PT_LOAD at the end.
  bool findOwnNote(std::size_t &section, std::size_t &segment) const;
  std::optional<StampRefusal> moveSectionSymbols(std::size_t section, std::uint64_t address);
  std::optional<PlanOrRefusal> regrowLastSegment();
  PlanOrRefusal placeInNewSegment();
  StampPlan finishSegmentPlan(const Ehdr &header, const std::vector<Shdr> &sections);
  std::optional<StampRefusal> readDynamic();
  std::optional<StampRefusal> choosePlacement();
  std::optional<StampRefusal> emit();
  std::optional<StampRefusal> emitSections();
  void patchSymbols(std::vector<std::uint8_t> &bytes) const;
  bool readBytes(std::uint64_t offset, std::uint64_t size, std::vector<std::uint8_t> &out) const {
    out.resize(size);
    return size == 0 || read_(offset, size, out.data());
  }
  bool inShifted(std::uint64_t offset) const { return offset >= front_ && offset < moveEnd_; }
  std::uint64_t newOffsetOf(std::size_t section) const;
  bool buildIdLeaves() const;
  bool splitBuildIdBlock();

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
  std::uint64_t delta_ = 0;       // how far [S, moveEnd) moves
  std::uint64_t moveEnd_ = 0;     // end of the moved bytes: oldEnd (shift) or tablesEnd (move)
  std::uint64_t tablesEnd_ = 0;   // [S, tablesEnd) holds only DT_ tables: they may move whole
  std::uint64_t tablesAlign_ = 1; // their largest alignment
  std::uint64_t newEnd_ = 0;
  std::uint64_t noteOffset_ = 0;
  std::uint64_t noteStart_ = 0; // start of the new PT_NOTE (before noteOffset_ when split)
  bool noteWithBlock_ = false;  // the new PT_NOTE covers the package note's whole block
  bool tableInFront_ = false;   // the section header table lies in the repacked front
  bool tableElsewhere_ = false; // the program header table lies in another PT_LOAD ("segment")
};

// Explicit instantiation of one member for the four ELF types (in the file that defines it).
#define PKGNOTE_STAMP_INSTANTIATE(RETURN, MEMBER)                                                  \
  template RETURN StampPlanner<llvm::object::ELF32LE>::MEMBER;                                     \
  template RETURN StampPlanner<llvm::object::ELF32BE>::MEMBER;                                     \
  template RETURN StampPlanner<llvm::object::ELF64LE>::MEMBER;                                     \
  template RETURN StampPlanner<llvm::object::ELF64BE>::MEMBER;

} // namespace pkgnote::detail
