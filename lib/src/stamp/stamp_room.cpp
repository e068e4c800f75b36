// SPDX-License-Identifier: MIT
// The stamp planner's room after the first segment (findRoom): whether the rest of the segment
// may shift up as a whole (the "shift" layout), how far it may grow (the slack before the next
// thing in the file and the next segment's page in memory), and which DT_ tables may move there
// whole when text follows them (the "move" layout, docs/stamp.md; stamp_planner.h), with the
// PT_DYNAMIC entries that point at them (readDynamic).
#include "stamp/stamp_planner.h"

#include <algorithm>
#include <cstring>

namespace pkgnote::detail {

using namespace llvm::ELF;

template <class ELFT> auto StampPlanner<ELFT>::readDynamic() const -> OrRefusal<DynamicTable> {
  DynamicTable dynamic;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (segment.p_type != PT_DYNAMIC)
      continue;
    if (segment.p_filesz > kMaxNoteSegment)
      return StampRefusal{"PT_DYNAMIC is " + hex(segment.p_filesz) + " bytes long"};
    std::vector<std::uint8_t> bytes;
    if (!readBytes(segment.p_offset, segment.p_filesz, bytes))
      return StampRefusal{"cannot read PT_DYNAMIC"};
    dynamic.entries.resize(bytes.size() / sizeof(Dyn));
    if (!dynamic.entries.empty())
      std::memcpy(static_cast<void *>(dynamic.entries.data()), bytes.data(),
                  dynamic.entries.size() * sizeof(Dyn));
    dynamic.segment = i;
    break;
  }
  return dynamic;
}

// Whether [S, the first segment's end) may move as a whole: it holds only tables the dynamic linker
// finds through DT_ tags (which move with it) and notes, no code (the entry point) and no other
// segment.
template <class ELFT>
Room StampPlanner<ELFT>::findRoom(const FirstSegment &first, std::uint64_t frontEnd,
                                  const DynamicTable &dynamic) const {
  Room room;
  room.shiftable = true;
  std::uint64_t shdrStart = h_.header.e_shoff,
                shdrEnd = shdrStart + h_.sections.size() * sizeof(Shdr);
  if (shdrEnd > frontEnd && shdrStart < first.end)
    room.shiftable = false;
  for (const Shdr &section : h_.sections) {
    if (section.sh_size == 0 || section.sh_offset < frontEnd || section.sh_offset >= first.end ||
        section.sh_type == SHT_NOBITS)
      continue;
    if (!(section.sh_flags & SHF_ALLOC)) {
      room.shiftable = false;
      continue;
    }
    bool referenced = section.sh_type == SHT_NOTE;
    if (isDynamicTable(section.sh_type))
      for (const Dyn &entry : dynamic.entries)
        if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr == section.sh_addr)
          referenced = true;
    if (!referenced || section.sh_addr != first.bias + section.sh_offset)
      room.shiftable = false;
    room.tailAlign = std::max<std::uint64_t>(room.tailAlign, section.sh_addralign);
  }
  for (const Phdr &segment : h_.segments) {
    if (segment.p_type == PT_LOAD || segment.p_type == PT_PHDR || !segment.p_filesz ||
        segment.p_offset + segment.p_filesz <= frontEnd || segment.p_offset >= first.end)
      continue;
    if (!isPhdrOnly(segment.p_type) || segment.p_offset < frontEnd ||
        segment.p_offset + segment.p_filesz > first.end)
      room.shiftable = false;
    room.tailAlign = std::max<std::uint64_t>(room.tailAlign, segment.p_align);
  }
  std::uint64_t entry = h_.header.e_entry;
  if (entry >= first.bias + frontEnd && entry < first.bias + first.end)
    room.shiftable = false;
  // The moved bytes are held in memory: beyond this, the notes go to the slack instead.
  if (!isPowerOfTwo(room.tailAlign) || room.tailAlign > kPage || first.end - frontEnd > kMaxShift)
    room.shiftable = false;
  room = findMovableTables(first, frontEnd, dynamic, room);
  room.slackLimit = findSlackLimit(first);
  return room;
}

// The first segment may grow up to the next thing in the file and the page of the next segment
// in memory.
template <class ELFT>
std::uint64_t StampPlanner<ELFT>::findSlackLimit(const FirstSegment &first) const {
  std::uint64_t limit = kNoLimit;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (i == first.index)
      continue;
    if (segment.p_filesz && segment.p_offset + segment.p_filesz > first.end)
      limit = std::min<std::uint64_t>(limit, std::max<std::uint64_t>(segment.p_offset, first.end));
    if (segment.p_type == PT_LOAD) {
      std::uint64_t align = isPowerOfTwo(segment.p_align) ? segment.p_align : 1;
      align = std::max(align, kPage);
      std::uint64_t page = segment.p_vaddr / align * align;
      limit = std::min(limit, page > first.bias ? page - first.bias : 0);
    }
  }
  for (const Shdr &section : h_.sections)
    if (h_.hasFileBytes(section) && section.sh_offset + section.sh_size > first.end)
      limit = std::min<std::uint64_t>(limit, std::max<std::uint64_t>(section.sh_offset, first.end));
  if (h_.header.e_shoff >= first.end)
    limit = std::min<std::uint64_t>(limit, h_.header.e_shoff);
  return limit;
}

// Without -z separate-code (GNU ld on aarch64, s390x...), text follows the DT_ tables directly,
// so they cannot shift up; [S, tablesEnd) may still move whole to the free end of the segment
// when it holds only those tables, no other segment, no entry point and no section headers.
// Returns ROOM with tablesEnd and tablesAlign set.
template <class ELFT>
Room StampPlanner<ELFT>::findMovableTables(const FirstSegment &first, std::uint64_t frontEnd,
                                           const DynamicTable &dynamic, Room room) const {
  std::vector<const Shdr *> order;
  for (const Shdr &section : h_.sections)
    if (h_.hasFileBytes(section) && section.sh_offset >= frontEnd && section.sh_offset < first.end)
      order.push_back(&section);
  std::sort(order.begin(), order.end(),
            [](const Shdr *a, const Shdr *b) { return a->sh_offset < b->sh_offset; });
  std::uint64_t end = frontEnd, align = 1;
  for (const Shdr *section : order) {
    if (end == frontEnd && section->sh_offset != frontEnd)
      break; // bytes no section accounts for: left where they are
    bool referenced = false;
    if ((section->sh_flags & SHF_ALLOC) && isDynamicTable(section->sh_type) &&
        section->sh_addr == first.bias + section->sh_offset && section->sh_offset >= end)
      for (const Dyn &entry : dynamic.entries)
        if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr == section->sh_addr)
          referenced = true;
    if (!referenced)
      break;
    end = section->sh_offset + section->sh_size;
    align = std::max<std::uint64_t>(align, section->sh_addralign);
  }
  for (const Shdr &section : h_.sections)
    if (!h_.hasFileBytes(section) && section.sh_addr >= first.bias + frontEnd &&
        section.sh_addr < first.bias + end && (section.sh_flags & SHF_ALLOC))
      end = frontEnd; // an allocated section without file bytes among them: left alone
  std::uint64_t shdrStart = h_.header.e_shoff,
                shdrEnd = shdrStart + h_.sections.size() * sizeof(Shdr);
  if (shdrEnd > frontEnd && shdrStart < end)
    end = frontEnd;
  for (const Phdr &segment : h_.segments)
    if (segment.p_type != PT_LOAD && segment.p_type != PT_PHDR && segment.p_filesz &&
        segment.p_offset < end && segment.p_offset + segment.p_filesz > frontEnd)
      end = frontEnd;
  std::uint64_t entry = h_.header.e_entry;
  if (entry >= first.bias + frontEnd && entry < first.bias + end)
    end = frontEnd;
  if (!isPowerOfTwo(align) || align > kPage || end - frontEnd > kMaxShift)
    end = frontEnd;
  room.tablesEnd = end;
  room.tablesAlign = align;
  return room;
}

PKGNOTE_STAMP_INSTANTIATE(Room, findMovableTables(const FirstSegment &, std::uint64_t,
                                                  const DynamicTable &, Room) const)
PKGNOTE_STAMP_INSTANTIATE(std::uint64_t, findSlackLimit(const FirstSegment &) const)
PKGNOTE_STAMP_INSTANTIATE(auto, readDynamic() const->OrRefusal<DynamicTable>)
PKGNOTE_STAMP_INSTANTIATE(Room,
                          findRoom(const FirstSegment &, std::uint64_t, const DynamicTable &) const)

} // namespace pkgnote::detail
