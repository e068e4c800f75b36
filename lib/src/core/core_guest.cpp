// SPDX-License-Identifier: MIT
// qemu-user guest cores have no NT_FILE: the executable is found through NT_AUXV (AT_PHDR,
// AT_PHNUM, AT_ENTRY), shared objects through the dynamic linker's r_debug/link_map list, and
// anything else through ELF headers at the start of dumped segments. qemu does not dump
// executable pages that begin with an ELF header, so the executable's headers and note are often
// absent and its file under --root is checked against the auxiliary vector instead.
#include "core/core_context.h"
#include "read/elf_notes.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"
#include "llvm/Support/Endian.h"

#include <cstring>
#include <set>

namespace pkgnote::detail {
namespace {

// A link_map entry listed without its image (no header at l_addr), and its l_ld.
struct Unplaced {
  std::size_t module;
  std::uint64_t dynamic;
};

// What the executable tells of the rest of a guest process.
struct GuestExecutable {
  std::uint64_t headerAddress = 0;             // its ELF header in memory, when known
  std::optional<std::uint64_t> dynamicAddress; // its PT_DYNAMIC in memory (to find link_map)
  // Its PT_INTERP string in memory, and the path there (read from the file when the core lacks
  // the page): the dynamic linker's own link_map entry points its l_name at that string.
  std::optional<std::uint64_t> interpAddress;
  std::string interp;
};

// The executable of a process whose core has no NT_FILE (qemu-user): its program headers are at
// AT_PHDR; qemu does not dump executable pages that start with an ELF header, so the headers may
// be missing and the file under --root is then checked against the auxiliary vector.
template <class ELFT> GuestExecutable executableFromAuxv(CoreContext &core) {
  GuestExecutable found;
  using Phdr = typename ELFT::Phdr;
  auto atPhdr = core.notes.auxvValue(kAtPhdr);
  auto atPhnum = core.notes.auxvValue(kAtPhnum);
  auto atEntry = core.notes.auxvValue(kAtEntry);
  ModuleReport module;
  module.path = core.report.executable;
  if (!atPhdr || !atPhnum || *atPhnum == 0 || *atPhnum > 0xffff) {
    core.report.warnings.push_back("no usable AT_PHDR/AT_PHNUM in NT_AUXV");
    return found;
  }
  // The load bias: AT_PHDR minus PT_PHDR's p_vaddr when the headers are in the core.
  std::optional<std::uint64_t> bias;
  std::vector<Phdr> phdrs;
  if (core.memory.isBacked(*atPhdr, *atPhnum * sizeof(Phdr)) &&
      readsCleanly(core.memory.read(*atPhdr, *atPhnum, phdrs, "program headers"))) {
    for (const Phdr &phdr : phdrs)
      if (phdr.p_type == llvm::ELF::PT_PHDR)
        bias = *atPhdr - phdr.p_vaddr;
    for (const Phdr &phdr : phdrs)
      if (phdr.p_type == llvm::ELF::PT_LOAD && phdr.p_offset == 0) {
        // Without PT_PHDR (static executables), the header is where AT_PHDR minus e_phoff is;
        // e_phoff is almost always right after the header.
        found.headerAddress = bias ? *bias + phdr.p_vaddr : *atPhdr - sizeof(typename ELFT::Ehdr);
        break;
      }
  }
  std::optional<ImageFacts> inMemory;
  if (found.headerAddress != 0) {
    auto facts = inspectImageInMemory(core.memory, found.headerAddress);
    if (!facts)
      core.report.warnings.push_back("executable: " + llvm::toString(facts.takeError()));
    else
      inMemory = std::move(*facts);
  }
  if (inMemory && inMemory->dynamicVaddr)
    found.dynamicAddress = inMemory->bias + *inMemory->dynamicVaddr;
  if (inMemory && inMemory->interpVaddr) {
    found.interpAddress = inMemory->bias + *inMemory->interpVaddr;
    found.interp = inMemory->interp;
  }
  if (inMemory) {
    core.claim(*inMemory);
    fillFromFacts(module, *inMemory);
    for (const std::string &problem : inMemory->problems)
      core.report.warnings.push_back("executable: " + problem);
  } else
    module.elfArchitecture = elfArchitectureName(core.machine);
  if (!module.package && (!inMemory || !inMemory->notesComplete) && !module.path.empty()) {
    auto file = inspectModuleFile(core, module.path);
    std::uint64_t fileBias = 0;
    if (file && *file && (*file)->type == llvm::ELF::ET_DYN) {
      std::uint64_t phdrAt = (*file)->phdrVaddr
                                 ? *(*file)->phdrVaddr
                                 : (*file)->firstLoadVaddr.value_or(0) + (*file)->phoff;
      fileBias = *atPhdr - phdrAt;
    }
    if (!file)
      llvm::consumeError(file.takeError());
    useFileIfMatching(core, module, inMemory, atEntry, fileBias,
                      static_cast<std::uint16_t>(*atPhnum));
    if (module.source == ModuleReport::Source::File && file && *file) {
      if ((*file)->dynamicVaddr)
        found.dynamicAddress = fileBias + *(*file)->dynamicVaddr;
      if ((*file)->interpVaddr && found.interp.empty()) {
        found.interpAddress = fileBias + *(*file)->interpVaddr;
        found.interp = (*file)->interp;
      }
    }
  }
  core.report.modules.push_back(std::move(module));
  return found;
}

// A word of the core's class and byte order at ADDRESS in memory, if dumped.
template <class ELFT>
std::optional<std::uint64_t> readWord(const CoreMemory &memory, std::uint64_t address) {
  using Word = typename ELFT::uint;
  std::vector<std::uint8_t> bytes;
  if (!readsCleanly(memory.read(address, sizeof(Word), bytes, "word")))
    return std::nullopt;
  Word value;
  std::memcpy(&value, bytes.data(), sizeof(Word));
  return llvm::support::endian::byte_swap<Word, ELFT::TargetEndianness>(value);
}

// Shared objects of a dynamic guest: the executable's DT_DEBUG points at the dynamic linker's
// r_debug, whose r_map starts the link_map list (l_addr, l_name, l_ld, l_next). The list is in
// writable memory, so it is followed with a cap and a visited set against cycles.
template <class ELFT>
void modulesFromLinkMap(CoreContext &core, const GuestExecutable &executable,
                        std::set<std::uint64_t> &known, std::vector<Unplaced> &unplaced) {
  std::uint64_t dynamic = *executable.dynamicAddress;
  constexpr std::uint64_t w = sizeof(typename ELFT::uint);
  constexpr std::size_t kMaxDynamic = 1024, kMaxLinks = 1024;
  std::optional<std::uint64_t> rDebug;
  for (std::size_t i = 0; i < kMaxDynamic; ++i) {
    auto tag = readWord<ELFT>(core.memory, dynamic + 2 * w * i);
    if (!tag || *tag == llvm::ELF::DT_NULL)
      break;
    if (*tag == llvm::ELF::DT_DEBUG) {
      rDebug = readWord<ELFT>(core.memory, dynamic + 2 * w * i + w);
      break;
    }
  }
  if (!rDebug || *rDebug == 0)
    return;
  auto node = readWord<ELFT>(core.memory, *rDebug + w); // r_map, after int r_version
  std::set<std::uint64_t> visited;
  for (std::size_t i = 0; node && *node != 0 && i < kMaxLinks; ++i) {
    if (!visited.insert(*node).second) {
      core.report.warnings.push_back("link_map list loops at " + hexText(*node));
      return;
    }
    auto base = readWord<ELFT>(core.memory, *node);
    auto nameAt = readWord<ELFT>(core.memory, *node + w);
    auto ld = readWord<ELFT>(core.memory, *node + 2 * w);
    auto next = readWord<ELFT>(core.memory, *node + 3 * w);
    if (base && nameAt && *nameAt != 0 && core.report.modules.size() < kMaxModules) {
      auto name = core.memory.readString(*nameAt, kMaxPathLength, "l_name");
      if (!name) {
        llvm::consumeError(name.takeError());
        // The dynamic linker's name is the executable's PT_INTERP string, in a page qemu does
        // not dump; the executable's file has it.
        if (executable.interpAddress == *nameAt && !executable.interp.empty())
          name = executable.interp;
      }
      if (name && !name->empty() && known.insert(*base).second) {
        std::size_t index = core.report.modules.size();
        bool headerThere = core.memory.isBacked(*base, llvm::ELF::EI_NIDENT);
        addModuleAt(core, *name, *base, /*fileBacked=*/true, /*bias=*/*base);
        // A prelinked library's l_addr is not where its header is; l_ld (its PT_DYNAMIC) says
        // which image found later at a segment start it is.
        if (!headerThere && ld && *ld != 0 && core.report.modules.size() > index)
          unplaced.push_back({index, *ld});
      }
    }
    node = next;
  }
}

// An image whose header shows at ADDRESS may be the executable's data segment, mapped from file
// offset 0 (a small file), while its text, and so its header at the load address, was not dumped
// (older ARM kernels): then AT_ENTRY is its entry point under the bias that puts that segment's
// mapping at ADDRESS. The executable, listed from the auxiliary vector without build-id, takes
// its facts, read as if at its load address (CoreMemory::withAlias).
bool adoptAsExecutable(CoreContext &core, std::uint64_t address, const ImageFacts &facts) {
  auto entry = core.notes.auxvValue(kAtEntry);
  if (!entry || core.report.modules.empty() || !core.report.modules.front().buildId.empty() ||
      core.report.modules.front().package || !facts.firstLoadVaddr)
    return false;
  for (std::uint64_t mappingStart : facts.headerMappings) {
    std::uint64_t bias = address - mappingStart;
    if ((facts.type == llvm::ELF::ET_EXEC && bias != 0) || bias + facts.entry != *entry)
      continue;
    std::uint64_t base = bias + *facts.firstLoadVaddr;
    CoreMemory view = core.memory.withAlias(
        base, address, std::min(core.memory.backedFrom(address), facts.firstLoadFileSize));
    auto adopted = inspectImageInMemory(view, base);
    if (!adopted) {
      llvm::consumeError(adopted.takeError()); // listed by the segment scan instead, with it
      return false;
    }
    if (!*adopted)
      return false;
    core.claim(**adopted);
    fillFromFacts(core.report.modules.front(), **adopted);
    core.report.modules.front().source = ModuleReport::Source::Core;
    return true;
  }
  return false;
}

// The image whose PT_DYNAMIC is where an unplaced link_map entry's l_ld points is that entry's:
// the module keeps the link_map name and takes the image's facts.
bool placeLinkMapEntry(CoreContext &core, const ImageFacts &facts,
                       const std::vector<Unplaced> &unplaced) {
  if (!facts.dynamicVaddr)
    return false;
  for (const Unplaced &entry : unplaced) {
    ModuleReport &module = core.report.modules[entry.module];
    if (entry.dynamic != facts.bias + *facts.dynamicVaddr || !module.buildId.empty() ||
        module.package)
      continue;
    core.claim(facts);
    fillFromFacts(module, facts);
    module.source = ModuleReport::Source::Core;
    return true;
  }
  return false;
}

// Last resort for cores without NT_FILE: ELF headers at the start of dumped segments (segments
// start on page boundaries, where the loader maps images), a bounded number of them; a segment
// within an image already listed is another mapping of it, not another image.
void modulesFromSegmentStarts(CoreContext &core, std::set<std::uint64_t> known,
                              const std::vector<Unplaced> &unplaced) {
  std::size_t scanned = 0;
  for (const CoreSegment &segment : core.memory.segments()) {
    if (++scanned > kMaxScannedSegments || core.report.modules.size() >= kMaxModules)
      return;
    if (known.count(segment.address) || segment.size < 64 || core.claimedAt(segment.address))
      continue;
    std::vector<std::uint8_t> magic;
    if (!readsCleanly(core.memory.read(segment.address, 4, magic, "segment start")) ||
        std::memcmp(magic.data(), llvm::ELF::ElfMagic, 4) != 0)
      continue;
    known.insert(segment.address);
    auto facts = inspectImageInMemory(core.memory, segment.address);
    if (facts && *facts && adoptAsExecutable(core, segment.address, **facts))
      continue;
    if (facts && *facts && placeLinkMapEntry(core, **facts, unplaced))
      continue;
    if (!facts)
      llvm::consumeError(facts.takeError()); // addModuleAt reports it
    addModuleAt(core, "", segment.address, /*fileBacked=*/false);
  }
}

} // namespace

template <class ELFT> void modulesWithoutFileNote(CoreContext &core) {
  GuestExecutable executable = executableFromAuxv<ELFT>(core);
  std::set<std::uint64_t> known;
  std::vector<Unplaced> unplaced;
  if (executable.headerAddress)
    known.insert(executable.headerAddress);
  if (executable.dynamicAddress)
    modulesFromLinkMap<ELFT>(core, executable, known, unplaced);
  addVdso(core);
  modulesFromSegmentStarts(core, known, unplaced);
}

template void modulesWithoutFileNote<llvm::object::ELF32LE>(CoreContext &);
template void modulesWithoutFileNote<llvm::object::ELF32BE>(CoreContext &);
template void modulesWithoutFileNote<llvm::object::ELF64LE>(CoreContext &);
template void modulesWithoutFileNote<llvm::object::ELF64BE>(CoreContext &);

} // namespace pkgnote::detail
