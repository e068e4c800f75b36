// SPDX-License-Identifier: MIT
// The headers the stamp planner works from (ELF header, program headers, section headers, section
// names). The header tables are read by read/'s bounds-checked readers (read/elf_notes.h:
// readElfHeader, readProgramHeaders, forEachSectionHeader) over a ByteSource on the StampReader,
// so that the library has one header parser; then they are checked against what stamping needs
// (an executable or shared object, tables after the ELF header, every section or segment with
// file bytes inside the file, in 64-bit arithmetic), each failure with its own refusal.
// Templates over ELFT (ELF32LE/32BE/64LE/64BE), decoded by libObject's endian-aware structs.
#pragma once

#include "io/byte_source.h"
#include "pkgnote/stamp.h"
#include "read/elf_notes.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <variant>
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

// A planner step's result: a value, or why the file cannot be stamped.
template <class T> using OrRefusal = std::variant<T, StampRefusal>;

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

template <class T> void appendStruct(std::vector<std::uint8_t> &bytes, const T &value) {
  const auto *begin = reinterpret_cast<const std::uint8_t *>(&value);
  bytes.insert(bytes.end(), begin, begin + sizeof(T));
}

// A ByteSource over a StampReader: read/'s header readers take the one, stamping's callers (a
// file descriptor, bytes in memory) hand over the other. Section contents (notes, symbol tables,
// the bytes that move) are read through reader() itself, outside the source's read budget: a
// stamped file's symbol tables are read whole, and libraries have larger ones than that budget.
class StampSource final : public ByteSource {
public:
  StampSource(const StampReader &read, std::uint64_t size, std::string name)
      : read_(read), size_(size), name_(std::move(name)) {}

  const std::string &name() const override { return name_; }
  std::uint64_t size() const override { return size_; }
  const StampReader &reader() const { return read_; }

private:
  llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                          std::string_view what) const override {
    if (read_(offset, size, out))
      return llvm::Error::success();
    return inputError(name_, "cannot read " + std::string(what) + " at " + hexText(offset));
  }

  const StampReader &read_;
  std::uint64_t size_;
  std::string name_;
};

// The ELF header, if it is one stamping accepts (an executable or shared object).
template <class ELFT> OrRefusal<typename ELFT::Ehdr> readStampElfHeader(const ByteSource &source) {
  using namespace llvm::ELF;
  auto header = readElfHeader<ELFT>(source, ImageLocation{});
  if (!header) {
    llvm::consumeError(header.takeError()); // refused with the file's size instead
    return StampRefusal{"truncated ELF header (" + std::to_string(source.size()) + " bytes)"};
  }
  switch (header->e_type) {
  case ET_EXEC:
  case ET_DYN:
    return *header;
  case ET_REL:
    return StampRefusal{"relocatable object (ET_REL): only executables and shared objects are "
                        "stamped",
                        true};
  case ET_CORE:
    return StampRefusal{"core file: only executables and shared objects are stamped", true};
  default:
    return StampRefusal{"ELF type " + hex(header->e_type) +
                            ": only executables and shared "
                            "objects are stamped",
                        true};
  }
}

// The program headers: a table after the ELF header, without PN_XNUM, whose every segment with
// file bytes lies inside the file. read/'s reader checks the table's range; its refusal names
// e_phoff and e_phnum, as the fields to look at.
template <class ELFT>
OrRefusal<std::vector<typename ELFT::Phdr>> readStampSegments(const ByteSource &source,
                                                              const typename ELFT::Ehdr &header) {
  using namespace llvm::ELF;
  using Phdr = typename ELFT::Phdr;
  std::uint64_t fileSize = source.size();
  if (header.e_phnum == 0)
    return StampRefusal{"no program headers"};
  if (header.e_phentsize != sizeof(Phdr))
    return StampRefusal{"e_phentsize " + std::to_string(header.e_phentsize) + ", expected " +
                        std::to_string(sizeof(Phdr))};
  if (header.e_phnum == 0xffff /* PN_XNUM */)
    return StampRefusal{"extended program header numbering (PN_XNUM) is not supported"};
  auto outside = [&] {
    return StampRefusal{"program headers (e_phoff " + hex(header.e_phoff) + ", e_phnum " +
                        std::to_string(header.e_phnum) + ") lie outside the file (" +
                        std::to_string(fileSize) + " bytes)"};
  };
  if (header.e_phoff < sizeof(header))
    return outside(); // the ELF header is rewritten: the table may not share its bytes
  auto segments = readProgramHeaders<ELFT>(source, header, ImageLocation{});
  if (!segments) {
    llvm::consumeError(segments.takeError());
    return outside();
  }
  std::uint64_t end = 0;
  for (std::size_t i = 0; i < segments->size(); ++i) {
    const Phdr &segment = (*segments)[i];
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
  return std::move(*segments);
}

// The section headers: present (the note gets a section), without extended numbering, every
// section with file bytes inside the file and none sharing bytes with another.
template <class ELFT>
OrRefusal<std::vector<typename ELFT::Shdr>> readStampSections(const ByteSource &source,
                                                              const typename ELFT::Ehdr &header) {
  using Shdr = typename ELFT::Shdr;
  std::uint64_t fileSize = source.size();
  if (header.e_shoff == 0 || header.e_shnum == 0)
    return StampRefusal{header.e_shoff == 0 && header.e_shnum == 0
                            ? "no section headers: the note's section cannot be recorded"
                            : "extended section numbering is not supported"};
  if (header.e_shentsize != sizeof(Shdr))
    return StampRefusal{"e_shentsize " + std::to_string(header.e_shentsize) + ", expected " +
                        std::to_string(sizeof(Shdr))};
  std::vector<Shdr> sections;
  sections.reserve(header.e_shnum);
  if (llvm::Error error = forEachSectionHeader<ELFT>(source, header, ImageLocation{},
                                                     [&](std::size_t, const Shdr &section) {
                                                       sections.push_back(section);
                                                       return true;
                                                     })) {
    llvm::consumeError(std::move(error)); // refused naming e_shoff and e_shnum instead
    return StampRefusal{"section headers (e_shoff " + hex(header.e_shoff) + ", e_shnum " +
                        std::to_string(header.e_shnum) + ") lie outside the file (" +
                        std::to_string(fileSize) + " bytes)"};
  }
  auto hasFileBytes = [](const Shdr &section) {
    return section.sh_type != llvm::ELF::SHT_NOBITS && section.sh_size != 0;
  };
  std::uint64_t end = 0;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const Shdr &section = sections[i];
    if (hasFileBytes(section) && !fitsWithin(section.sh_offset, section.sh_size, fileSize, end))
      return StampRefusal{"section " + std::to_string(i) + ": offset " + hex(section.sh_offset) +
                          " size " + hex(section.sh_size) + " past the end of the file (" +
                          std::to_string(fileSize) + " bytes)"};
    // Every layout patches the ELF header and the program header table (p_filesz of the note's
    // PT_NOTE at least), so a section claiming those bytes would change under its readers; but
    // for one that is exactly the table (the .phdrs the segment layout gives a moved table).
    std::uint64_t tableSize = std::uint64_t(header.e_phnum) * sizeof(typename ELFT::Phdr);
    auto overlaps = [&](std::uint64_t at, std::uint64_t size) {
      return section.sh_offset < at + size && at < section.sh_offset + section.sh_size;
    };
    bool isTable = section.sh_offset == header.e_phoff && section.sh_size == tableSize;
    if (hasFileBytes(section) && !isTable &&
        (overlaps(0, sizeof(header)) || overlaps(header.e_phoff, tableSize)))
      return StampRefusal{"section " + std::to_string(i) + " at " + hex(section.sh_offset) +
                          " overlaps the ELF header or the program header table"};
  }
  // Sections that share bytes cannot be moved or patched one at a time.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < sections.size(); ++i)
    if (hasFileBytes(sections[i]))
      order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sections[a].sh_offset < sections[b].sh_offset;
  });
  for (std::size_t k = 1; k < order.size(); ++k) {
    const Shdr &before = sections[order[k - 1]], &after = sections[order[k]];
    if (before.sh_offset + before.sh_size > after.sh_offset)
      return StampRefusal{"sections " + std::to_string(order[k - 1]) + " and " +
                          std::to_string(order[k]) + " overlap"};
  }
  return sections;
}

// The section name table, which stamping rewrites when it adds a name: it must be a string table
// that is not loaded. Read as contents (through the StampReader), like every other section.
template <class ELFT>
OrRefusal<std::string> readStampSectionNames(const StampSource &source,
                                             const typename ELFT::Ehdr &header,
                                             const std::vector<typename ELFT::Shdr> &sections) {
  using namespace llvm::ELF;
  if (header.e_shstrndx == SHN_UNDEF || header.e_shstrndx >= sections.size())
    return StampRefusal{"e_shstrndx " + std::to_string(header.e_shstrndx) + " names no section"};
  const auto &names = sections[header.e_shstrndx];
  if (names.sh_flags & SHF_ALLOC) // rewritten when a name is added: it must not be loaded
    return StampRefusal{"section name table (section " + std::to_string(header.e_shstrndx) +
                        ") is allocated"};
  if (names.sh_type != SHT_STRTAB || names.sh_size > kMaxStampTable)
    return StampRefusal{"section name table (section " + std::to_string(header.e_shstrndx) +
                        ") is not a string table"};
  std::string text(names.sh_size, '\0');
  if (names.sh_size &&
      !source.reader()(names.sh_offset, names.sh_size, reinterpret_cast<std::uint8_t *>(&text[0])))
    return StampRefusal{"cannot read the section name table"};
  if (!text.empty() && text.back() != '\0')
    return StampRefusal{"section name table does not end with NUL"};
  return text;
}

// Everything above, in the order of its refusals.
template <class ELFT> OrRefusal<StampHeaders<ELFT>> readStampHeaders(const StampSource &source) {
  StampHeaders<ELFT> out;
  out.fileSize = source.size();
  auto header = readStampElfHeader<ELFT>(source);
  if (auto *refusal = std::get_if<StampRefusal>(&header))
    return *refusal;
  out.header = std::get<0>(header);
  auto segments = readStampSegments<ELFT>(source, out.header);
  if (auto *refusal = std::get_if<StampRefusal>(&segments))
    return *refusal;
  out.segments = std::move(std::get<0>(segments));
  auto sections = readStampSections<ELFT>(source, out.header);
  if (auto *refusal = std::get_if<StampRefusal>(&sections))
    return *refusal;
  out.sections = std::move(std::get<0>(sections));
  auto names = readStampSectionNames<ELFT>(source, out.header, out.sections);
  if (auto *refusal = std::get_if<StampRefusal>(&names))
    return *refusal;
  out.sectionNames = std::move(std::get<0>(names));
  return out;
}

} // namespace pkgnote::detail
