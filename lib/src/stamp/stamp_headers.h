// SPDX-License-Identifier: MIT
// The headers the stamp planner works from (ELF header, program headers, section headers, section
// names), read through a StampReader and checked before any field is trusted: every table and
// every section or segment with file bytes must lie inside the file, in 64-bit arithmetic.
// Templates over ELFT (ELF32LE/32BE/64LE/64BE), decoded by libObject's endian-aware structs.
#pragma once

#include "pkgnote/stamp.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote::detail {

// Sizes beyond which the planner refuses rather than reads (a linked file's header area is small).
inline constexpr std::uint64_t kMaxStampTable = 64u << 20;

// Why a file cannot be stamped. SKIPPABLE: the file is not an executable or shared object at all
// (a walk passes over it silently).
// NOROOM: the layouts that keep everything in the first segment found no room; the "segment"
// layout may still place the note.
struct StampRefusal {
  std::string message;
  bool skippable = false;
  bool noRoom = false;
};

inline std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

// END = OFFSET + SIZE when it does not overflow and stays within LIMIT.
inline bool fitsWithin(std::uint64_t offset, std::uint64_t size, std::uint64_t limit,
                       std::uint64_t &end) {
  if (offset > limit || size > limit - offset)
    return false;
  end = offset + size;
  return true;
}

inline std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
  return align <= 1 ? value : (value + align - 1) / align * align;
}

inline bool isPowerOfTwo(std::uint64_t value) { return value && !(value & (value - 1)); }

template <class ELFT> struct StampHeaders {
  typename ELFT::Ehdr header;
  std::vector<typename ELFT::Phdr> segments;
  std::vector<typename ELFT::Shdr> sections;
  std::string sectionNames; // .shstrtab
  std::uint64_t fileSize = 0;

  std::uint64_t phdrEnd() const { return header.e_phoff + segments.size() * sizeof(segments[0]); }
  bool hasFileBytes(const typename ELFT::Shdr &section) const {
    return section.sh_type != llvm::ELF::SHT_NOBITS && section.sh_size != 0;
  }
  std::string sectionName(const typename ELFT::Shdr &section) const {
    std::uint64_t offset = section.sh_name;
    if (offset >= sectionNames.size())
      return {};
    return std::string(sectionNames.c_str() + offset);
  }
};

template <class T> bool readStruct(const StampReader &read, std::uint64_t offset, T &out) {
  std::uint8_t bytes[sizeof(T)];
  if (!read(offset, sizeof(T), bytes))
    return false;
  std::memcpy(static_cast<void *>(&out), bytes, sizeof(T));
  return true;
}

template <class T> void appendStruct(std::vector<std::uint8_t> &bytes, const T &value) {
  const auto *begin = reinterpret_cast<const std::uint8_t *>(&value);
  bytes.insert(bytes.end(), begin, begin + sizeof(T));
}

template <class ELFT>
std::optional<StampRefusal> readStampHeaders(const StampReader &read, std::uint64_t fileSize,
                                             StampHeaders<ELFT> &out) {
  using namespace llvm::ELF;
  using Phdr = typename ELFT::Phdr;
  using Shdr = typename ELFT::Shdr;
  auto &header = out.header;
  out.fileSize = fileSize;
  if (fileSize < sizeof(header) || !readStruct(read, 0, header))
    return StampRefusal{"truncated ELF header (" + std::to_string(fileSize) + " bytes)"};
  switch (header.e_type) {
  case ET_EXEC:
  case ET_DYN:
    break;
  case ET_REL:
    return StampRefusal{"relocatable object (ET_REL): only executables and shared objects are "
                        "stamped",
                        true};
  case ET_CORE:
    return StampRefusal{"core file: only executables and shared objects are stamped", true};
  default:
    return StampRefusal{"ELF type " + hex(header.e_type) +
                            ": only executables and shared "
                            "objects are stamped",
                        true};
  }
  if (header.e_phnum == 0)
    return StampRefusal{"no program headers"};
  if (header.e_phentsize != sizeof(Phdr))
    return StampRefusal{"e_phentsize " + std::to_string(header.e_phentsize) + ", expected " +
                        std::to_string(sizeof(Phdr))};
  if (header.e_phnum == 0xffff /* PN_XNUM */)
    return StampRefusal{"extended program header numbering (PN_XNUM) is not supported"};
  std::uint64_t end = 0;
  if (header.e_phoff < sizeof(header) ||
      !fitsWithin(header.e_phoff, std::uint64_t(header.e_phnum) * sizeof(Phdr), fileSize, end))
    return StampRefusal{"program headers (e_phoff " + hex(header.e_phoff) + ", e_phnum " +
                        std::to_string(header.e_phnum) + ") lie outside the file (" +
                        std::to_string(fileSize) + " bytes)"};
  out.segments.resize(header.e_phnum);
  for (std::size_t i = 0; i < out.segments.size(); ++i)
    if (!readStruct(read, header.e_phoff + i * sizeof(Phdr), out.segments[i]))
      return StampRefusal{"cannot read program header " + std::to_string(i)};
  for (std::size_t i = 0; i < out.segments.size(); ++i) {
    const Phdr &segment = out.segments[i];
    if (segment.p_filesz && !fitsWithin(segment.p_offset, segment.p_filesz, fileSize, end))
      return StampRefusal{"program header " + std::to_string(i) + ": offset " +
                          hex(segment.p_offset) + " size " + hex(segment.p_filesz) +
                          " past the end of the file (" + std::to_string(fileSize) + " bytes)"};
    if (segment.p_type == PT_LOAD && segment.p_memsz < segment.p_filesz)
      return StampRefusal{"program header " + std::to_string(i) + ": p_memsz below p_filesz"};
    // Every layout rewrites PT_PHDR's size to the new table's, so it must be that table.
    if (segment.p_type == PT_PHDR && segment.p_offset != header.e_phoff)
      return StampRefusal{"program header " + std::to_string(i) + ": PT_PHDR at " +
                          hex(segment.p_offset) + " is not the program header table at " +
                          hex(header.e_phoff)};
  }

  if (header.e_shoff == 0 || header.e_shnum == 0)
    return StampRefusal{header.e_shoff == 0 && header.e_shnum == 0
                            ? "no section headers: the note's section cannot be recorded"
                            : "extended section numbering is not supported"};
  if (header.e_shentsize != sizeof(Shdr))
    return StampRefusal{"e_shentsize " + std::to_string(header.e_shentsize) + ", expected " +
                        std::to_string(sizeof(Shdr))};
  if (!fitsWithin(header.e_shoff, std::uint64_t(header.e_shnum) * sizeof(Shdr), fileSize, end))
    return StampRefusal{"section headers (e_shoff " + hex(header.e_shoff) + ", e_shnum " +
                        std::to_string(header.e_shnum) + ") lie outside the file (" +
                        std::to_string(fileSize) + " bytes)"};
  out.sections.resize(header.e_shnum);
  for (std::size_t i = 0; i < out.sections.size(); ++i)
    if (!readStruct(read, header.e_shoff + i * sizeof(Shdr), out.sections[i]))
      return StampRefusal{"cannot read section header " + std::to_string(i)};
  for (std::size_t i = 0; i < out.sections.size(); ++i) {
    const Shdr &section = out.sections[i];
    if (out.hasFileBytes(section) && !fitsWithin(section.sh_offset, section.sh_size, fileSize, end))
      return StampRefusal{"section " + std::to_string(i) + ": offset " + hex(section.sh_offset) +
                          " size " + hex(section.sh_size) + " past the end of the file (" +
                          std::to_string(fileSize) + " bytes)"};
    // Every layout patches the ELF header and the program header table (p_filesz of the note's
    // PT_NOTE at least), so a section claiming those bytes would change under its readers; but
    // for one that is exactly the table (the .phdrs the segment layout gives a moved table).
    std::uint64_t tableSize = out.phdrEnd() - header.e_phoff;
    auto overlaps = [&](std::uint64_t at, std::uint64_t size) {
      return section.sh_offset < at + size && at < section.sh_offset + section.sh_size;
    };
    bool isTable = section.sh_offset == header.e_phoff && section.sh_size == tableSize;
    if (out.hasFileBytes(section) && !isTable &&
        (overlaps(0, sizeof(header)) || overlaps(header.e_phoff, tableSize)))
      return StampRefusal{"section " + std::to_string(i) + " at " + hex(section.sh_offset) +
                          " overlaps the ELF header or the program header table"};
  }
  // Sections that share bytes cannot be moved or patched one at a time.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < out.sections.size(); ++i)
    if (out.hasFileBytes(out.sections[i]))
      order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return out.sections[a].sh_offset < out.sections[b].sh_offset;
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const Shdr &before = out.sections[order[k - 1]], &after = out.sections[order[k]];
    if (before.sh_offset + before.sh_size > after.sh_offset)
      return StampRefusal{"sections " + std::to_string(order[k - 1]) + " and " +
                          std::to_string(order[k]) + " overlap"};
  }
  if (header.e_shstrndx == SHN_UNDEF || header.e_shstrndx >= out.sections.size())
    return StampRefusal{"e_shstrndx " + std::to_string(header.e_shstrndx) + " names no section"};
  const Shdr &names = out.sections[header.e_shstrndx];
  if (names.sh_flags & SHF_ALLOC) // rewritten when a name is added: it must not be loaded
    return StampRefusal{"section name table (section " + std::to_string(header.e_shstrndx) +
                        ") is allocated"};
  if (names.sh_type != SHT_STRTAB || names.sh_size > kMaxStampTable)
    return StampRefusal{"section name table (section " + std::to_string(header.e_shstrndx) +
                        ") is not a string table"};
  out.sectionNames.resize(names.sh_size);
  if (names.sh_size &&
      !read(names.sh_offset, names.sh_size, reinterpret_cast<std::uint8_t *>(&out.sectionNames[0])))
    return StampRefusal{"cannot read the section name table"};
  if (!out.sectionNames.empty() && out.sectionNames.back() != '\0')
    return StampRefusal{"section name table does not end with NUL"};
  return std::nullopt;
}

} // namespace pkgnote::detail
