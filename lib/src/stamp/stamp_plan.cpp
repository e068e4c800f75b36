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
// segment's page ("shift": GNU ld's -z separate-code layout); moving those tables, when text
// follows them, to that slack ("move": GNU ld without -z separate-code); moving the blocks that
// no longer fit to that slack ("tail": static programs, whose first segment holds
// code-referenced data; the build-id too when it cannot stay, which the caller warns about).
// Anything else is refused with the file untouched.
#include "pe/pe_stamp.h"
#include "pkgnote/note_encoding.h"
#include "stamp/stamp_planner.h"
#include "support/errors.h"

#include <algorithm>

namespace pkgnote {
namespace detail {

using namespace llvm::ELF;

template <class ELFT> PlanOrRefusal StampPlanner<ELFT>::run() const {
  auto found = findFirstSegment();
  if (auto *refusal = refusalOf(found))
    return *refusal;
  const FirstSegment &first = std::get<FirstSegment>(found);
  auto scanned = scanNotes();
  if (auto *refusal = refusalOf(scanned))
    return *refusal;
  const FoundNotes &notes = std::get<FoundNotes>(scanned);
  StampPlan plan;
  plan.newSize = h_.fileSize;
  if (options_.ifUnstamped && !notes.packages.empty()) {
    plan.outcome.action = StampAction::LeftAlone;
    return plan;
  }
  plan.outcome.replacedNote = !notes.packages.empty();
  if (!notes.packages.empty() && notes.packages.front().size == note_.size()) {
    // Same size: the note is rewritten where it is (the second stamping of a file).
    plan.outcome.layout = "in-place";
    plan.outcome.noteInFirstPage =
        notes.packages.front().offset + note_.size() <= kPage && h_.phdrEnd() <= kPage;
    plan.patches.push_back({notes.packages.front().offset, note_});
    return plan;
  }
  if (!first.tableElsewhere)
    if (auto replaced = replaceAtEnd(first, notes))
      return *replaced;
  if (auto regrown = regrowLastSegment(first, notes))
    return *regrown;
  if (first.tableElsewhere)
    return placeInNewSegment(first, notes);
  PlanOrRefusal repacked = repackFirstSegment(first, notes);
  if (auto *refusal = std::get_if<StampRefusal>(&repacked); refusal && refusal->noRoom)
    return placeInNewSegment(first, notes); // no room in the first segment: a new one at the end
  return repacked;
}

// The layouts inside the first segment (gap, shift, move, tail): each step takes what the earlier
// ones returned. A refusal marked noRoom sends the note to a new segment instead (run).
template <class ELFT>
PlanOrRefusal StampPlanner<ELFT>::repackFirstSegment(const FirstSegment &first,
                                                     const FoundNotes &notes) const {
  auto collected = collectFront(first);
  if (auto *refusal = refusalOf(collected))
    return *refusal;
  const Front &front = std::get<Front>(collected);
  auto grouped = groupBlocks(first, front);
  if (auto *refusal = refusalOf(grouped))
    return *refusal;
  auto added = addPackageNote(notes, std::move(std::get<std::vector<StampBlock>>(grouped)));
  if (auto *refusal = refusalOf(added))
    return *refusal;
  const Repack &repack = std::get<Repack>(added);
  auto tags = readDynamic();
  if (auto *refusal = refusalOf(tags))
    return *refusal;
  DynamicTable &dynamic = std::get<DynamicTable>(tags);
  Room room = findRoom(first, front.end, dynamic);
  auto chosen = choosePlacement(first, notes, front, repack, room);
  if (auto *refusal = refusalOf(chosen))
    return *refusal;
  const Placement &placed = std::get<Placement>(chosen);
  auto emitted = emit(first, repack, placed, std::move(dynamic));
  if (auto *refusal = refusalOf(emitted))
    return *refusal;
  Emitted &written = std::get<Emitted>(emitted);
  auto sections = emitSections(first, front, repack, placed, written.noteOffset);
  if (auto *refusal = refusalOf(sections))
    return *refusal;
  StampPlan plan;
  plan.newSize = h_.fileSize;
  plan.outcome.replacedNote = !notes.packages.empty();
  plan.outcome.layout = placed.layout;
  plan.outcome.noteInFirstPage = written.noteOffset + note_.size() <= kPage;
  plan.patches = std::move(written.patches);
  for (StampPatch &patch : std::get<std::vector<StampPatch>>(sections))
    plan.patches.push_back(std::move(patch));
  for (const StampPatch &patch : plan.patches)
    plan.newSize = std::max<std::uint64_t>(plan.newSize, patch.offset + patch.bytes.size());
  return plan;
}

// A package note of its own section that ends the first segment (put there by a "tail"
// stamping, after code that cannot move) is replaced where it is by one of another size: the
// segment, its PT_NOTE and its section grow or shrink by the difference, within the slack.
template <class ELFT>
std::optional<PlanOrRefusal> StampPlanner<ELFT>::replaceAtEnd(const FirstSegment &first,
                                                              const FoundNotes &notes) const {
  if (notes.packages.empty())
    return std::nullopt;
  const FoundNote &old = notes.packages.front();
  const Phdr &load = h_.segments[first.index];
  if (old.offset + old.size != first.end || load.p_filesz != load.p_memsz ||
      old.offset < h_.phdrEnd())
    return std::nullopt;
  std::optional<std::size_t> section, segment;
  for (std::size_t i = 0; i < h_.sections.size(); ++i) {
    const Shdr &s = h_.sections[i];
    if (s.sh_type == SHT_NOTE && s.sh_offset == old.offset && s.sh_size == old.size &&
        (s.sh_flags & SHF_ALLOC) && s.sh_addr == first.bias + s.sh_offset)
      section = i;
    else if (h_.hasFileBytes(s) && s.sh_offset + s.sh_size > old.offset &&
             s.sh_offset < old.offset + old.size)
      return std::nullopt; // another section shares the note's bytes
  }
  for (std::size_t i = 0; i < h_.segments.size(); ++i) {
    const Phdr &p = h_.segments[i];
    if (i == first.index || !p.p_filesz || p.p_offset + p.p_filesz <= old.offset ||
        p.p_offset >= first.end)
      continue;
    if (p.p_type != PT_NOTE || segment || p.p_offset + p.p_filesz != first.end ||
        p.p_filesz != p.p_memsz)
      return std::nullopt;
    segment = i;
  }
  if (!section || !segment)
    return std::nullopt;
  std::uint64_t newEnd = old.offset + note_.size();
  if (newEnd > findSlackLimit(first))
    return std::nullopt; // the repacking path says why
  StampPlan plan;
  plan.newSize = h_.fileSize;
  plan.outcome.replacedNote = true;
  std::vector<std::uint8_t> bytes = note_;
  bytes.resize(std::max<std::uint64_t>(note_.size(), old.size), 0); // a shorter one: zeros after
  plan.patches.push_back({old.offset, std::move(bytes)});
  std::vector<Phdr> segments = h_.segments;
  segments[first.index].p_filesz = newEnd;
  segments[first.index].p_memsz = newEnd;
  Phdr &note = segments[*segment];
  note.p_filesz = newEnd - note.p_offset;
  note.p_memsz = note.p_filesz;
  std::vector<std::uint8_t> table;
  for (const Phdr &p : segments)
    appendStruct(table, p);
  plan.patches.push_back({h_.header.e_phoff, std::move(table)});
  std::vector<Shdr> sections = h_.sections;
  sections[*section].sh_size = note_.size();
  std::vector<std::uint8_t> headers;
  for (const Shdr &s : sections)
    appendStruct(headers, s);
  plan.patches.push_back({h_.header.e_shoff, std::move(headers)});
  plan.outcome.layout = "tail";
  plan.outcome.noteInFirstPage = newEnd <= kPage && h_.phdrEnd() <= kPage;
  plan.outcome.buildIdLeftFirstPage = notes.buildId && *notes.buildId >= kPage;
  for (const StampPatch &patch : plan.patches)
    plan.newSize = std::max<std::uint64_t>(plan.newSize, patch.offset + patch.bytes.size());
  return plan;
}

namespace {

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
    return detail::inputProblem(name, refusal.message);
  };
  StampSource source(read, fileSize, name);
  auto headers = readStampHeaders<ELFT>(source);
  if (auto *refusal = std::get_if<StampRefusal>(&headers))
    return refused(*refusal);
  Endian endian = ELFT::TargetEndianness == llvm::support::little ? Endian::Little : Endian::Big;
  StampPlanner<ELFT> planner(read, std::move(std::get<0>(headers)), encodePackageNote(json, endian),
                             options);
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
  // A PE image takes UAPI.8's .pkgnote section instead of the ELF note (pe/pe_stamp.h).
  if (detail::startsLikePe(read, fileSize))
    return detail::planPeStamp(read, fileSize, payloadJson, options, name);
  unsigned char ident[EI_NIDENT] = {};
  if (fileSize < EI_NIDENT || !read(0, EI_NIDENT, ident) || std::memcmp(ident, ElfMagic, 4) != 0) {
    if (options.skipUnstampable) {
      StampPlan plan;
      plan.outcome.action = StampAction::Skipped;
      plan.outcome.skipReason = "not an ELF file";
      plan.newSize = fileSize;
      return plan;
    }
    return detail::inputProblem(name, "not an ELF file");
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
  return detail::inputProblem(name, "unknown ELF class " + std::to_string(fileClass) +
                                         " or byte order " + std::to_string(data));
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
