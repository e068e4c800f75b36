// SPDX-License-Identifier: MIT
// The stamp planner's room after the first segment: how far it may grow (the slack before the
// next thing in the file and the next segment's page in memory), and which DT_ tables may move
// there whole when text follows them (the "move" layout, docs/stamp.md; stamp_planner.h).
#include "stamp/stamp_planner.h"

#include <algorithm>

namespace pkgnote::detail {

using namespace llvm::ELF;

// The first segment may grow up to the next thing in the file and the page of the next segment
// in memory.
template <class ELFT> void StampPlanner<ELFT>::findSlackLimit() {
  slackLimit_ = kNoLimit;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &segment = h_.segments[i];
    if (i == first_)
      continue;
    if (segment.p_filesz && segment.p_offset + segment.p_filesz > oldEnd_)
      slackLimit_ =
          std::min<std::uint64_t>(slackLimit_, std::max<std::uint64_t>(segment.p_offset, oldEnd_));
    if (segment.p_type == PT_LOAD) {
      std::uint64_t align = isPowerOfTwo(segment.p_align) ? segment.p_align : 1;
      align = std::max(align, kPage);
      std::uint64_t page = segment.p_vaddr / align * align;
      slackLimit_ = std::min(slackLimit_, page > bias_ ? page - bias_ : 0);
    }
  }
  for (const Shdr &section : h_.sections)
    if (h_.hasFileBytes(section) && section.sh_offset + section.sh_size > oldEnd_)
      slackLimit_ =
          std::min<std::uint64_t>(slackLimit_, std::max<std::uint64_t>(section.sh_offset, oldEnd_));
  if (h_.header.e_shoff >= oldEnd_)
    slackLimit_ = std::min<std::uint64_t>(slackLimit_, h_.header.e_shoff);
}

// Without -z separate-code (GNU ld on aarch64, s390x...), text follows the DT_ tables directly,
// so they cannot shift up; [S, tablesEnd) may still move whole to the free end of the segment
// when it holds only those tables, no other segment, no entry point and no section headers.
template <class ELFT> void StampPlanner<ELFT>::findMovableTables() {
  std::vector<const Shdr *> order;
  for (const Shdr &section : h_.sections)
    if (h_.hasFileBytes(section) && section.sh_offset >= front_ && section.sh_offset < oldEnd_)
      order.push_back(&section);
  std::sort(order.begin(), order.end(),
            [](const Shdr *a, const Shdr *b) { return a->sh_offset < b->sh_offset; });
  std::uint64_t end = front_, align = 1;
  for (const Shdr *section : order) {
    if (end == front_ && section->sh_offset != front_)
      break; // bytes no section accounts for: left where they are
    bool referenced = false;
    if ((section->sh_flags & SHF_ALLOC) && isDynamicTable(section->sh_type) &&
        section->sh_addr == bias_ + section->sh_offset && section->sh_offset >= end)
      for (const Dyn &entry : dynamic_)
        if (isDynamicPointer(entry.d_tag) && entry.d_un.d_ptr == section->sh_addr)
          referenced = true;
    if (!referenced)
      break;
    end = section->sh_offset + section->sh_size;
    align = std::max<std::uint64_t>(align, section->sh_addralign);
  }
  for (const Shdr &section : h_.sections)
    if (!h_.hasFileBytes(section) && section.sh_addr >= bias_ + front_ &&
        section.sh_addr < bias_ + end && (section.sh_flags & SHF_ALLOC))
      end = front_; // an allocated section without file bytes among them: left alone
  std::uint64_t shdrStart = h_.header.e_shoff,
                shdrEnd = shdrStart + h_.sections.size() * sizeof(Shdr);
  if (shdrEnd > front_ && shdrStart < end)
    end = front_;
  for (const Phdr &segment : h_.segments)
    if (segment.p_type != PT_LOAD && segment.p_type != PT_PHDR && segment.p_filesz &&
        segment.p_offset < end && segment.p_offset + segment.p_filesz > front_)
      end = front_;
  std::uint64_t entry = h_.header.e_entry;
  if (entry >= bias_ + front_ && entry < bias_ + end)
    end = front_;
  if (!isPowerOfTwo(align) || align > kPage || end - front_ > kMaxShift)
    end = front_;
  tablesEnd_ = end;
  tablesAlign_ = align;
}

PKGNOTE_STAMP_INSTANTIATE(void, findMovableTables())
PKGNOTE_STAMP_INSTANTIATE(void, findSlackLimit())

} // namespace pkgnote::detail
