// SPDX-License-Identifier: MIT
// The "segment" layout (docs/stamp.md): when the first segment has no room for the note (lld,
// mold and rust-lld outputs, where code follows the headers; static programs whose build-id
// would have to leave the first page), a new PT_LOAD at the end of the file, above every other
// segment in memory, carries the note under a PT_NOTE of its own, and the program header table
// too when it cannot grow where it is (as patchelf does for libraries). Nothing else moves, so
// the build-id stays where it was. Re-stamping such a file grows or shrinks that last segment.
#include "stamp/stamp_planner.h"

#include <algorithm>

namespace pkgnote::detail {

using namespace llvm::ELF;

namespace {

// Kernels before 5.18 set AT_PHDR to the first PT_LOAD's address + e_phoff, whatever segment
// holds the table: the new segment keeps the first one's address-to-offset difference when a
// hole of at most this size in the file buys it (the hole is sparse on disk).
constexpr std::uint64_t kMaxPadding = 4u << 20;
constexpr std::uint64_t kMaxSegmentAlign = 16u << 20;

} // namespace

// The old package note's own SHT_NOTE section and the PT_NOTE that covers exactly it.
template <class ELFT>
bool StampPlanner<ELFT>::findOwnNote(const FoundNote &old, std::size_t &section,
                                     std::size_t &segment) const {
  // The section and PT_NOTE may or may not count the desc's padding (lld vs GNU ld).
  auto matches = [&](std::uint64_t offset, std::uint64_t size) {
    return offset == old.offset && size <= old.size && size + 4 > old.size;
  };
  bool haveSection = false, haveSegment = false;
  for (std::size_t i = 0; i < h_.sections.size(); ++i) {
    const Shdr &s = h_.sections[i];
    if (s.sh_type == SHT_NOTE && (s.sh_flags & SHF_ALLOC) && matches(s.sh_offset, s.sh_size)) {
      section = i;
      haveSection = true;
    }
  }
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &p = h_.segments[i];
    if (p.p_type == PT_NOTE && p.p_filesz == p.p_memsz && matches(p.p_offset, p.p_filesz)) {
      segment = i;
      haveSegment = true;
    }
  }
  return haveSection && haveSegment;
}

// Symbols defined in SECTION (mold gives its section symbols the section's address) follow it
// to ADDRESS, a chunk of each symbol table at a time.
template <class ELFT>
OrRefusal<std::vector<StampPatch>>
StampPlanner<ELFT>::moveSectionSymbols(std::size_t section, std::uint64_t address) const {
  std::vector<StampPatch> patches;
  const Shdr &moved = h_.sections[section];
  constexpr std::uint64_t chunk = (1u << 20) / sizeof(Sym) * sizeof(Sym);
  for (const Shdr &table : h_.sections) {
    if (table.sh_type != SHT_SYMTAB && table.sh_type != SHT_DYNSYM)
      continue;
    for (std::uint64_t at = 0; at + sizeof(Sym) <= table.sh_size; at += chunk) {
      std::vector<std::uint8_t> bytes;
      if (!readBytes(table.sh_offset + at,
                     std::min(chunk, table.sh_size - at) / sizeof(Sym) * sizeof(Sym), bytes))
        return StampRefusal{"cannot read a symbol table"};
      bool changed = false;
      for (std::size_t i = 0; i + sizeof(Sym) <= bytes.size(); i += sizeof(Sym)) {
        Sym symbol;
        std::memcpy(static_cast<void *>(&symbol), bytes.data() + i, sizeof symbol);
        if (symbol.st_shndx != section || symbol.st_value < moved.sh_addr ||
            symbol.st_value > moved.sh_addr + moved.sh_size)
          continue;
        symbol.st_value = symbol.st_value - moved.sh_addr + address;
        std::memcpy(bytes.data() + i, &symbol, sizeof symbol);
        changed = true;
      }
      if (changed)
        patches.push_back({table.sh_offset + at, std::move(bytes)});
    }
  }
  return patches;
}

// Re-stamping a file stamped in the "segment" layout with a note of another size: the note ends
// the last PT_LOAD (in memory and in the file, where only the section names and headers follow
// it), which grows or shrinks by the difference; names and headers follow it.
// The end of both segment plans: PLAN, then the section headers at HEADER's e_shoff, which ends
// the file, then the ELF header itself, whose e_shoff (and e_shnum) the caller has set.
template <class ELFT>
StampPlan StampPlanner<ELFT>::finishSegmentPlan(StampPlan plan, const Ehdr &header,
                                                const std::vector<Shdr> &sections) const {
  std::vector<std::uint8_t> headers;
  for (const Shdr &s : sections)
    appendStruct(headers, s);
  plan.newSize = header.e_shoff + headers.size();
  plan.patches.push_back({header.e_shoff, std::move(headers)});
  std::vector<std::uint8_t> headerBytes;
  appendStruct(headerBytes, header);
  plan.patches.push_back({0, std::move(headerBytes)});
  plan.outcome.layout = "segment";
  plan.outcome.noteInFirstPage = false;
  return plan;
}

template <class ELFT>
std::optional<PlanOrRefusal> StampPlanner<ELFT>::regrowLastSegment(const FirstSegment &first,
                                                                   const FoundNotes &notes) const {
  std::size_t section = 0, segment = 0;
  if (notes.packages.empty() || !findOwnNote(notes.packages.front(), section, segment))
    return std::nullopt;
  const FoundNote &old = notes.packages.front();
  std::uint64_t noteEnd = old.offset + old.size;
  std::optional<std::size_t> last;
  for (std::size_t i = 0; i < h_.segments.size(); ++i)
    if (h_.segments[i].p_type == PT_LOAD &&
        (!last || h_.segments[i].p_vaddr > h_.segments[*last].p_vaddr))
      last = i;
  const Phdr &load = h_.segments[*last];
  if (*last == first.index || load.p_offset > old.offset || load.p_filesz != load.p_memsz ||
      load.p_offset + load.p_filesz != noteEnd)
    return std::nullopt;
  std::uint64_t shdrEnd = h_.header.e_shoff + h_.sections.size() * sizeof(Shdr);
  if (h_.header.e_shoff < noteEnd || shdrEnd != h_.fileSize)
    return std::nullopt;
  for (std::size_t i = 0; i < h_.sections.size(); ++i)
    if (i != h_.header.e_shstrndx && h_.hasFileBytes(h_.sections[i]) &&
        h_.sections[i].sh_offset >= noteEnd)
      return std::nullopt;
  for (const Phdr &p : h_.segments)
    if (p.p_filesz && p.p_offset + p.p_filesz > noteEnd)
      return std::nullopt;
  std::uint64_t newEnd = old.offset + note_.size();
  StampPlan plan;
  plan.outcome.replacedNote = true;
  std::vector<std::uint8_t> bytes = note_;
  bytes.resize(std::max<std::uint64_t>(note_.size(), old.size), 0);
  plan.patches.push_back({old.offset, std::move(bytes)});
  std::vector<Phdr> segments = h_.segments;
  segments[*last].p_filesz = newEnd - load.p_offset;
  segments[*last].p_memsz = newEnd - load.p_offset;
  segments[segment].p_filesz = note_.size();
  segments[segment].p_memsz = note_.size();
  std::vector<std::uint8_t> table;
  for (const Phdr &p : segments)
    appendStruct(table, p);
  plan.patches.push_back({h_.header.e_phoff, std::move(table)});
  std::vector<Shdr> sections = h_.sections;
  sections[section].sh_size = note_.size();
  Shdr &names = sections[h_.header.e_shstrndx];
  // From the note's end to the section headers: the names (when they followed the note) and
  // zeros, so that the result does not depend on what a previous stamping left there.
  std::vector<std::uint8_t> between;
  if (names.sh_offset >= noteEnd && names.sh_size) {
    names.sh_offset = newEnd;
    between.assign(h_.sectionNames.begin(), h_.sectionNames.end());
  }
  auto header = h_.header;
  header.e_shoff = alignUp(newEnd + between.size(), sizeof(typename ELFT::uint));
  between.resize(header.e_shoff - newEnd, 0);
  plan.patches.push_back({newEnd, std::move(between)});
  return finishSegmentPlan(std::move(plan), header, sections);
}

// A new PT_LOAD after everything, holding [the grown program header table][the note], or only
// the note when the table can take its new entries where it is.
template <class ELFT>
PlanOrRefusal StampPlanner<ELFT>::placeInNewSegment(const FirstSegment &first,
                                                    const FoundNotes &notes) const {
  StampPlan plan;
  plan.newSize = h_.fileSize;
  plan.outcome.replacedNote = !notes.packages.empty();
  constexpr std::uint64_t kTop = ELFT::Is64Bits ? kNoLimit : 0xffffffffu;
  std::uint64_t page = kPage, imageEnd = 0;
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &p = h_.segments[i];
    if (p.p_type != PT_LOAD)
      continue;
    if (p.p_align < kPage || !isPowerOfTwo(p.p_align) || p.p_align > kMaxSegmentAlign)
      return StampRefusal{"no safe layout: PT_LOAD " + std::to_string(i) + " is aligned to " +
                          hex(p.p_align) + ", not to pages (an -N or -n link?)"};
    std::uint64_t end = 0;
    if (!fitsWithin(p.p_vaddr, p.p_memsz, kTop, end))
      return StampRefusal{"program header " + std::to_string(i) + ": address " + hex(p.p_vaddr) +
                          " size " + hex(p.p_memsz) + " overflows"};
    page = std::max<std::uint64_t>(page, p.p_align);
    imageEnd = std::max(imageEnd, end);
  }
  // The old note leaves its section, which moves to the new note, and its PT_NOTE: reused when
  // it holds only that note; else (mold's --package-metadata: one PT_NOTE for every note) cut
  // around it, in two when notes follow it.
  std::optional<std::size_t> ownSection, ownSegment, sharedSegment;
  bool middle = false;
  if (!notes.packages.empty()) {
    const FoundNote &old = notes.packages.front();
    std::size_t section = 0, segment = 0;
    if (findOwnNote(old, section, segment)) {
      ownSection = section;
      ownSegment = segment;
    } else {
      for (std::size_t i = 0; i < h_.sections.size(); ++i) {
        const Shdr &s = h_.sections[i];
        if (s.sh_type == SHT_NOTE && (s.sh_flags & SHF_ALLOC) && s.sh_offset == old.offset &&
            s.sh_size <= old.size && s.sh_size + 4 > old.size)
          ownSection = i;
      }
      for (std::size_t i = 0; i < h_.segments.size(); ++i) {
        const Phdr &p = h_.segments[i];
        if (p.p_type == PT_NOTE && p.p_filesz == p.p_memsz && p.p_offset <= old.offset &&
            old.offset + old.size <= p.p_offset + p.p_filesz)
          sharedSegment = i;
      }
      if (!ownSection || !sharedSegment)
        return StampRefusal{"no safe layout: the package note at " + hex(old.offset) +
                            " has no section of its own inside a PT_NOTE, and the new one has "
                            "another size"};
      const Phdr &p = h_.segments[*sharedSegment];
      middle = old.offset > p.p_offset && old.offset + old.size < p.p_offset + p.p_filesz;
    }
  }
  std::size_t count = h_.segments.size() + 1 + !ownSegment + middle;
  if (count >= 0xffff)
    return StampRefusal{"too many program headers to add one"};
  std::uint64_t tableSize = count * sizeof(Phdr);

  // The table grows where it is when zeros that no section or segment uses follow it.
  std::uint64_t roomEnd = 0;
  for (const Phdr &p : h_.segments)
    if (p.p_type == PT_LOAD && p.p_offset <= h_.header.e_phoff &&
        h_.phdrEnd() <= p.p_offset + p.p_filesz)
      roomEnd = p.p_offset + p.p_filesz;
  for (const Shdr &s : h_.sections)
    if (h_.hasFileBytes(s) && s.sh_offset >= h_.phdrEnd())
      roomEnd = std::min<std::uint64_t>(roomEnd, s.sh_offset);
  for (const Phdr &p : h_.segments)
    if (p.p_type != PT_LOAD && p.p_type != PT_PHDR && p.p_filesz && p.p_offset >= h_.phdrEnd())
      roomEnd = std::min<std::uint64_t>(roomEnd, p.p_offset);
  if (h_.header.e_shoff >= h_.phdrEnd())
    roomEnd = std::min<std::uint64_t>(roomEnd, h_.header.e_shoff);
  std::uint64_t tableEnd = h_.header.e_phoff + tableSize;
  std::vector<std::uint8_t> room;
  bool tableStays = tableEnd <= roomEnd && readBytes(h_.phdrEnd(), tableEnd - h_.phdrEnd(), room) &&
                    std::all_of(room.begin(), room.end(), [](std::uint8_t b) { return b == 0; });

  std::uint64_t offset = alignUp(h_.fileSize, page);
  if (imageEnd > kTop - page)
    return StampRefusal{"no safe layout: no address space left above " + hex(imageEnd)};
  std::uint64_t address = alignUp(imageEnd, page);
  if (first.bias % page == 0 && address >= first.bias) {
    if (address - first.bias >= offset && address - first.bias - offset <= kMaxPadding)
      offset = address - first.bias;
    else if (address - first.bias < offset && offset <= kTop - first.bias)
      address = first.bias + offset;
  }
  std::uint64_t noteAt = tableStays ? 0 : alignUp(tableSize, 8);
  std::uint64_t size = noteAt + note_.size();
  if (address > kTop - size)
    return StampRefusal{"no safe layout: no address space left above " + hex(imageEnd)};
  const Phdr &firstLoad = h_.segments[first.index];
  std::uint64_t physical = firstLoad.p_paddr - firstLoad.p_vaddr; // modular: paddr follows vaddr

  std::vector<Phdr> segments = h_.segments;
  if (sharedSegment) {
    Phdr &p = segments[*sharedSegment];
    std::uint64_t start = p.p_offset, end = p.p_offset + p.p_filesz;
    std::uint64_t cutFrom = notes.packages.front().offset,
                  cutTo = cutFrom + notes.packages.front().size;
    Phdr after = p;
    after.p_offset = cutTo;
    after.p_vaddr = p.p_vaddr + (cutTo - start);
    after.p_paddr = p.p_paddr + (cutTo - start);
    after.p_filesz = end - cutTo;
    after.p_memsz = end - cutTo;
    if (after.p_align > 4 && after.p_offset % after.p_align)
      after.p_align = 4; // what follows a 4-aligned note is walked at 4
    if (cutFrom == start)
      p = after;
    else {
      p.p_filesz = cutFrom - start;
      p.p_memsz = cutFrom - start;
      if (middle)
        segments.insert(segments.begin() + *sharedSegment + 1, after);
    }
  }
  Phdr note{};
  note.p_type = PT_NOTE;
  note.p_flags = PF_R;
  note.p_offset = offset + noteAt;
  note.p_vaddr = address + noteAt;
  note.p_paddr = address + noteAt + physical;
  note.p_filesz = note_.size();
  note.p_memsz = note_.size();
  note.p_align = 4;
  if (ownSegment)
    segments[*ownSegment] = note;
  else {
    std::size_t at = segments.size();
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (segments[i].p_type == PT_NOTE)
        at = i + 1;
    segments.insert(segments.begin() + at, note);
  }
  Phdr load{};
  load.p_type = PT_LOAD;
  load.p_flags = PF_R;
  load.p_offset = offset;
  load.p_vaddr = address;
  load.p_paddr = address + physical;
  load.p_filesz = size;
  load.p_memsz = size;
  load.p_align = page;
  // The loaders want PT_LOADs in address order: the new one, the highest, after the last.
  std::size_t loadAt = segments.size();
  for (std::size_t i = 0; i < segments.size(); ++i)
    if (segments[i].p_type == PT_LOAD)
      loadAt = i + 1;
  segments.insert(segments.begin() + loadAt, load);
  for (Phdr &p : segments)
    if (p.p_type == PT_PHDR) {
      if (!tableStays) {
        p.p_offset = offset;
        p.p_vaddr = address;
        p.p_paddr = address + physical;
      }
      p.p_filesz = tableSize;
      p.p_memsz = tableSize;
    }
  std::vector<std::uint8_t> table;
  for (const Phdr &p : segments)
    appendStruct(table, p);
  auto header = h_.header;
  header.e_phnum = static_cast<std::uint16_t>(count);
  std::vector<std::uint8_t> contents(size, 0);
  std::copy(note_.begin(), note_.end(), contents.begin() + noteAt);
  if (tableStays)
    plan.patches.push_back({h_.header.e_phoff, std::move(table)});
  else {
    std::copy(table.begin(), table.end(), contents.begin());
    header.e_phoff = offset;
  }
  if (!notes.packages.empty()) // the old note's bytes, now outside every PT_NOTE and section
    plan.patches.push_back(
        {notes.packages.front().offset, std::vector<std::uint8_t>(notes.packages.front().size, 0)});
  plan.patches.push_back({offset, std::move(contents)});

  std::vector<Shdr> sections = h_.sections;
  std::uint64_t end = offset + size;
  std::string names = h_.sectionNames;
  auto addSection = [&](const char *name, unsigned type, std::uint64_t at, std::uint64_t bytes,
                        std::uint64_t align) {
    Shdr added{};
    added.sh_name = static_cast<std::uint32_t>(names.size());
    names += name + std::string(1, '\0');
    added.sh_type = type;
    added.sh_flags = SHF_ALLOC;
    added.sh_addr = address + at;
    added.sh_offset = offset + at;
    added.sh_size = bytes;
    added.sh_addralign = align;
    sections.push_back(added);
  };
  // The moved table gets a section too: tools that rewrite a file from its sections (eu-strip)
  // keep only the bytes sections cover.
  if (!tableStays)
    addSection(".phdrs", SHT_PROGBITS, 0, tableSize, sizeof(typename ELFT::uint));
  if (ownSection) {
    auto symbols = moveSectionSymbols(*ownSection, address + noteAt);
    if (auto *refusal = refusalOf(symbols))
      return *refusal;
    for (StampPatch &patch : std::get<std::vector<StampPatch>>(symbols))
      plan.patches.push_back(std::move(patch));
    Shdr &s = sections[*ownSection];
    s.sh_offset = offset + noteAt;
    s.sh_addr = address + noteAt;
    s.sh_size = note_.size();
  } else
    addSection(kSectionName, SHT_NOTE, noteAt, note_.size(), 4);
  if (sections.size() >= SHN_LORESERVE)
    return StampRefusal{"too many sections to add one"};
  if (names.size() != h_.sectionNames.size()) {
    sections[h_.header.e_shstrndx].sh_offset = end;
    sections[h_.header.e_shstrndx].sh_size = names.size();
    plan.patches.push_back({end, std::vector<std::uint8_t>(names.begin(), names.end())});
    end += names.size();
  }
  header.e_shoff = alignUp(end, sizeof(typename ELFT::uint));
  header.e_shnum = static_cast<std::uint16_t>(sections.size());
  return finishSegmentPlan(std::move(plan), header, sections);
}

PKGNOTE_STAMP_INSTANTIATE(std::optional<PlanOrRefusal>,
                          regrowLastSegment(const FirstSegment &, const FoundNotes &) const)
PKGNOTE_STAMP_INSTANTIATE(PlanOrRefusal,
                          placeInNewSegment(const FirstSegment &, const FoundNotes &) const)

} // namespace pkgnote::detail
