// SPDX-License-Identifier: MIT
// Fuzzes the stamp planner (planStamp over a byte buffer, then applyStampPlan). Seeds are the
// reader's: real binaries of several architectures and the malformed corpus. Oracle, for every
// input it accepts: the output reads back with the project's reader with exactly one package
// note, the new one; every original PT_LOAD but the first (the one rewritten) keeps its bytes at
// its offset; every allocated section of the original keeps its bytes where the output's section
// headers now say (but those whose contents are patched on purpose: .dynamic, symbol tables, the
// replaced note); stamping the output again changes nothing.
#include "fuzz_check.h"

#include "pkgnote/elf_reader.h"
#include "pkgnote/payload_json.h"
#include "pkgnote/stamp.h"

#include "llvm/Object/ELF.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace {

const std::string kJson = R"({"type":"deb","name":"fuzz","version":"1.0-1","architecture":"any"})";

pkgnote::Result<pkgnote::StampPlan> plan(std::string_view bytes) {
  pkgnote::StampReader read = [&](std::uint64_t offset, std::size_t size, std::uint8_t *out) {
    if (offset > bytes.size() || size > bytes.size() - offset)
      return false;
    std::memcpy(out, bytes.data() + offset, size);
    return true;
  };
  return pkgnote::planStamp(read, bytes.size(), kJson, {}, "fuzz-input");
}

template <class ELFT> void checkLayout(std::string_view before, std::string_view after) {
  using namespace llvm::ELF;
  auto in = llvm::object::ELFFile<ELFT>::create(llvm::StringRef(before.data(), before.size()));
  auto out = llvm::object::ELFFile<ELFT>::create(llvm::StringRef(after.data(), after.size()));
  FUZZ_CHECK(static_cast<bool>(in) && static_cast<bool>(out));
  auto oldSegments = in->program_headers();
  auto oldSections = in->sections();
  auto newSections = out->sections();
  FUZZ_CHECK(oldSegments && oldSections && newSections);
  FUZZ_CHECK(newSections->size() >= oldSections->size());
  // Bytes changed on purpose outside the first segment: .dynamic's DT_ tags and symbol tables.
  std::string masked(before), maskedAfter(after.substr(0, std::min(after.size(), before.size())));
  maskedAfter.resize(before.size(), '\0');
  auto mask = [&](std::uint64_t offset, std::uint64_t size) {
    for (std::uint64_t i = offset; i < offset + size && i < masked.size(); ++i)
      masked[i] = maskedAfter[i] = 0;
  };
  for (const auto &segment : *oldSegments)
    if (segment.p_type == PT_DYNAMIC)
      mask(segment.p_offset, segment.p_filesz);
  for (const auto &section : *oldSections)
    if (section.sh_type == SHT_DYNSYM || section.sh_type == SHT_SYMTAB ||
        section.sh_type == SHT_DYNAMIC)
      mask(section.sh_offset, section.sh_size);
  bool first = true;
  for (const auto &segment : *oldSegments) {
    if (segment.p_type != PT_LOAD || segment.p_filesz == 0)
      continue;
    if (first && segment.p_offset == 0) { // the first PT_LOAD is the rewritten one
      first = false;
      continue;
    }
    FUZZ_CHECK(std::string_view(maskedAfter).substr(segment.p_offset, segment.p_filesz) ==
               std::string_view(masked).substr(segment.p_offset, segment.p_filesz));
  }
  for (std::size_t i = 1; i < oldSections->size(); ++i) {
    const auto &old = (*oldSections)[i];
    const auto &now = (*newSections)[i];
    if (!(old.sh_flags & SHF_ALLOC) || old.sh_size == 0 || old.sh_type == SHT_NOBITS ||
        old.sh_type == SHT_DYNAMIC || old.sh_type == SHT_DYNSYM || old.sh_type == SHT_SYMTAB ||
        old.sh_type == SHT_NOTE)
      continue;
    bool dynamic = false; // .dynamic and notes, found through PT_DYNAMIC and PT_NOTE, may change
    for (const auto &segment : *oldSegments)
      if ((segment.p_type == PT_DYNAMIC || segment.p_type == PT_NOTE) &&
          segment.p_offset < old.sh_offset + old.sh_size &&
          old.sh_offset < segment.p_offset + segment.p_filesz)
        dynamic = true;
    if (dynamic)
      continue;
    FUZZ_CHECK(now.sh_size == old.sh_size);
    FUZZ_CHECK(now.sh_addr - old.sh_addr == now.sh_offset - old.sh_offset);
    FUZZ_CHECK(after.substr(now.sh_offset, now.sh_size) ==
               before.substr(old.sh_offset, old.sh_size));
  }
}

void checkLayoutByClass(std::string_view before, std::string_view after) {
  using namespace llvm::object;
  // planStamp stamps PE images too; their layout oracle is fuzz_pe's.
  if (before.substr(0, 4) != "\x7f" "ELF")
    return;
  bool is64 = before[4] == 2, big = before[5] == 2;
  if (!is64 && !big)
    checkLayout<ELF32LE>(before, after);
  else if (!is64)
    checkLayout<ELF32BE>(before, after);
  else if (!big)
    checkLayout<ELF64LE>(before, after);
  else
    checkLayout<ELF64BE>(before, after);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  auto planned = plan(bytes);
  if (!planned) {
    FUZZ_CHECK(planned.error().message.rfind("'fuzz-input': ", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(planned->outcome.action == pkgnote::StampAction::Stamped);
  std::string stamped = pkgnote::applyStampPlan(bytes, *planned);
  auto report = pkgnote::readElfImage(stamped, "fuzz-output");
  FUZZ_CHECK(static_cast<bool>(report));
  FUZZ_CHECK(report->packages.size() == 1);
  auto payload = pkgnote::toPayloadJson(report->packages[0].metadata);
  FUZZ_CHECK(payload && *payload == kJson);
  checkLayoutByClass(bytes, stamped);
  auto again = plan(stamped);
  FUZZ_CHECK(static_cast<bool>(again));
  FUZZ_CHECK(pkgnote::applyStampPlan(stamped, *again) == stamped);
  return 0;
}
