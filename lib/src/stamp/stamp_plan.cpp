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
#include "pkgnote/note_encoding.h"
#include "stamp/stamp_planner.h"

#include <algorithm>

namespace pkgnote {
namespace detail {

using namespace llvm::ELF;

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
