// SPDX-License-Identifier: MIT
// inspectImage (core_image.h): the ELF reader's header and note walkers (elf_notes.h), run over a
// module in a core's memory view or in a file, instantiated for the class and byte order the
// module's own e_ident says, which need not be the core's.
#include "core/core_image.h"

#include "read/elf_notes.h"

#include "llvm/BinaryFormat/ELF.h"

#include <algorithm>
#include <cstring>

namespace pkgnote::detail {
namespace {

// A module's note segment larger than this is not read from a core (a real one is a few KiB).
constexpr std::uint64_t kMaxModuleNotes = 1u << 20;
// PT_INTERP longer than this is not read (PATH_MAX).
constexpr std::uint64_t kMaxInterpreterPath = 4096;
// A segment whose p_offset is below this (the largest page size) can share the header's page.
constexpr std::uint64_t kMaxHeaderMappingOffset = 64u << 10;
// A PT_DYNAMIC larger than this is not read for DT_SONAME (the vDSO's has about 20 entries).
constexpr std::uint64_t kMaxDynamic = 64u << 10;

// Read-only PT_LOADs (neither W nor X: qemu does not dump executable ones) and PT_GNU_RELRO,
// each clipped to the file bytes of the PT_LOAD holding it.
template <class ELFT>
std::vector<StableRange> stableRanges(const std::vector<typename ELFT::Phdr> &segments) {
  std::vector<StableRange> ranges;
  auto addWithin = [&](std::uint64_t start, std::uint64_t end) {
    for (const auto &load : segments) {
      if (load.p_type != llvm::ELF::PT_LOAD)
        continue;
      std::uint64_t from = std::max<std::uint64_t>(start, load.p_vaddr);
      std::uint64_t to = std::min<std::uint64_t>(end, load.p_vaddr + load.p_filesz);
      if (from < to)
        ranges.push_back({from, load.p_offset + (from - load.p_vaddr), to - from});
    }
  };
  for (const auto &segment : segments) {
    bool readOnly = segment.p_type == llvm::ELF::PT_LOAD &&
                    !(segment.p_flags & (llvm::ELF::PF_W | llvm::ELF::PF_X));
    if (readOnly || segment.p_type == llvm::ELF::PT_GNU_RELRO)
      addWithin(segment.p_vaddr, segment.p_vaddr + segment.p_memsz);
  }
  return ranges;
}

// PT_INTERP's path (up to its NUL), or empty when its bytes are not there (a core often lacks
// the page) or it is implausibly long.
std::string interpreterPath(const ByteSource &source, std::uint64_t at, std::uint64_t size) {
  std::vector<std::uint8_t> bytes;
  if (size == 0 || size > kMaxInterpreterPath)
    return {};
  if (llvm::Error error = source.read(at, size, bytes, "PT_INTERP")) {
    llvm::consumeError(std::move(error)); // only a name for a link_map entry hangs on it
    return {};
  }
  auto end = std::find(bytes.begin(), bytes.end(), '\0');
  return std::string(bytes.begin(), end);
}

template <class ELFT>
llvm::Expected<ImageFacts> inspect(const ByteSource &source, const ImageLocation &image,
                                   const CoreMemory *memory) {
  using Phdr = typename ELFT::Phdr;
  auto header = readElfHeader<ELFT>(source, image);
  if (!header)
    return header.takeError();
  // In memory, PN_XNUM would send the reader to section headers that were never loaded.
  if (memory && header->e_phnum == 0xffff)
    return inputError(source.name(),
                      "module at " + hexText(image.address) + ": e_phnum PN_XNUM in memory");
  auto segments = readProgramHeaders<ELFT>(source, *header, image);
  if (!segments)
    return segments.takeError();
  ImageFacts facts;
  facts.machine = header->e_machine;
  facts.type = header->e_type;
  facts.entry = header->e_entry;
  facts.phoff = header->e_phoff;
  facts.phnum = static_cast<std::uint16_t>(segments->size());
  facts.is64 = ELFT::Is64Bits;
  facts.bigEndian = ELFT::TargetEndianness == llvm::support::big;
  facts.phdrs.resize(segments->size() * sizeof(Phdr));
  if (!segments->empty())
    std::memcpy(facts.phdrs.data(), segments->data(), facts.phdrs.size());
  facts.bias = image.inMemory ? loadBias<ELFT>(*segments, image) : 0;
  std::vector<Phdr> readable;
  std::uint64_t lowest = UINT64_MAX, highest = 0;
  for (const Phdr &segment : *segments) {
    if (segment.p_type == llvm::ELF::PT_LOAD) {
      if (!facts.firstLoadVaddr)
        facts.firstLoadFileSize = segment.p_filesz;
      lowest = std::min<std::uint64_t>(lowest, segment.p_vaddr);
      highest = std::max<std::uint64_t>(highest, segment.p_vaddr + segment.p_memsz);
      if (segment.p_offset < kMaxHeaderMappingOffset)
        facts.headerMappings.push_back(segment.p_vaddr - segment.p_offset);
    }
    if (segment.p_type == llvm::ELF::PT_PHDR && !facts.phdrVaddr)
      facts.phdrVaddr = segment.p_vaddr;
    if (segment.p_type == llvm::ELF::PT_LOAD && !facts.firstLoadVaddr)
      facts.firstLoadVaddr = segment.p_vaddr - segment.p_offset;
    if (segment.p_type == llvm::ELF::PT_DYNAMIC && !facts.dynamicVaddr) {
      facts.dynamicVaddr = segment.p_vaddr;
      facts.dynamicSize = segment.p_filesz;
    }
    if (segment.p_type == llvm::ELF::PT_INTERP && !facts.interpVaddr) {
      facts.interpVaddr = segment.p_vaddr;
      facts.interp = interpreterPath(
          source, image.inMemory ? facts.bias + segment.p_vaddr : std::uint64_t(segment.p_offset),
          segment.p_filesz);
    }
    if (memory && segment.p_type == llvm::ELF::PT_NOTE) {
      std::uint64_t at = facts.bias + segment.p_vaddr;
      if (segment.p_filesz > kMaxModuleNotes || !memory->isBacked(at, segment.p_filesz)) {
        facts.notesComplete = false;
        continue;
      }
    }
    readable.push_back(segment);
  }
  if (lowest <= highest) {
    facts.loadStart = facts.bias + lowest;
    facts.loadEnd = facts.bias + highest;
  }
  if (!memory)
    facts.stableRanges = stableRanges<ELFT>(*segments);
  auto scan = scanImageNotes<ELFT>(source, *header, readable, image);
  if (!scan)
    return scan.takeError();
  facts.buildId = std::move(scan->buildId);
  facts.packages = std::move(scan->packages);
  if (!scan->problems.empty())
    facts.notesComplete = false;
  facts.problems = std::move(scan->problems);
  return facts;
}

// DT_SONAME through PT_DYNAMIC; DT_STRTAB is an address once the dynamic linker relocated it,
// and a link-time address in the vDSO (never relocated), which the bias turns into one.
template <class ELFT> std::string soname(const CoreMemory &memory, const ImageFacts &facts) {
  using Dyn = typename ELFT::Dyn;
  if (!facts.dynamicVaddr || facts.dynamicSize == 0 || facts.dynamicSize > kMaxDynamic)
    return {};
  std::vector<Dyn> entries;
  std::uint64_t at = facts.bias + *facts.dynamicVaddr;
  if (!memory.isBacked(at, facts.dynamicSize))
    return {};
  if (llvm::Error error = memory.read(at, facts.dynamicSize / sizeof(Dyn), entries, "PT_DYNAMIC")) {
    llvm::consumeError(std::move(error)); // checked as backed above; a name only hangs on it
    return {};
  }
  std::optional<std::uint64_t> name, strtab;
  for (const Dyn &entry : entries) {
    if (entry.d_tag == llvm::ELF::DT_NULL)
      break;
    if (entry.d_tag == llvm::ELF::DT_SONAME)
      name = entry.d_un.d_val;
    else if (entry.d_tag == llvm::ELF::DT_STRTAB)
      strtab = entry.d_un.d_ptr;
  }
  if (!name || !strtab)
    return {};
  std::uint64_t table = *strtab;
  if (table < facts.loadStart || table >= facts.loadEnd)
    table += facts.bias;
  auto text = memory.readString(table + *name, kMaxInterpreterPath, "DT_SONAME");
  if (!text) {
    llvm::consumeError(text.takeError()); // a name only: the page may not have been dumped
    return {};
  }
  return *text;
}

llvm::Expected<std::optional<ImageFacts>>
inspectAt(const ByteSource &source, const ImageLocation &image, const CoreMemory *memory) {
  using namespace llvm::ELF;
  if (memory && !memory->isBacked(image.address, EI_NIDENT))
    return std::nullopt;
  std::vector<std::uint8_t> ident;
  if (!source.holds(EI_NIDENT))
    return std::nullopt;
  if (llvm::Error error = source.read(image.address, EI_NIDENT, ident, "e_ident"))
    return error;
  if (std::memcmp(ident.data(), ElfMagic, 4) != 0)
    return std::nullopt;
  llvm::Expected<ImageFacts> facts =
      inputError(source.name(), "unknown ELF class at " + hexText(image.address));
  bool little = ident[EI_DATA] == ELFDATA2LSB, big = ident[EI_DATA] == ELFDATA2MSB;
  if (ident[EI_CLASS] == ELFCLASS32 && little)
    facts = inspect<llvm::object::ELF32LE>(source, image, memory);
  else if (ident[EI_CLASS] == ELFCLASS32 && big)
    facts = inspect<llvm::object::ELF32BE>(source, image, memory);
  else if (ident[EI_CLASS] == ELFCLASS64 && little)
    facts = inspect<llvm::object::ELF64LE>(source, image, memory);
  else if (ident[EI_CLASS] == ELFCLASS64 && big)
    facts = inspect<llvm::object::ELF64BE>(source, image, memory);
  if (!facts)
    return facts.takeError();
  return std::optional<ImageFacts>(std::move(*facts));
}

} // namespace

llvm::Expected<std::optional<ImageFacts>> inspectImageInMemory(const CoreMemory &memory,
                                                               std::uint64_t address) {
  ImageLocation image;
  image.address = address;
  image.inMemory = true;
  return inspectAt(memory, image, &memory);
}

std::string sonameInMemory(const CoreMemory &memory, const ImageFacts &facts) {
  if (facts.is64)
    return facts.bigEndian ? soname<llvm::object::ELF64BE>(memory, facts)
                           : soname<llvm::object::ELF64LE>(memory, facts);
  return facts.bigEndian ? soname<llvm::object::ELF32BE>(memory, facts)
                         : soname<llvm::object::ELF32LE>(memory, facts);
}

llvm::Expected<std::optional<ImageFacts>> inspectImageFile(const std::string &path) {
  auto source = FileByteSource::open(path);
  if (!source)
    return source.takeError();
  return inspectAt(**source, ImageLocation{}, nullptr);
}

llvm::Expected<std::optional<ImageFacts>> inspectImageBytes(const ByteSource &source) {
  return inspectAt(source, ImageLocation{}, nullptr);
}

} // namespace pkgnote::detail
