// SPDX-License-Identifier: MIT
// The note walker, written once as templates over ELFT (ELF32LE/32BE/64LE/64BE) and kept in a
// header so that the core reader can run it over a core's own PT_NOTE segments and over modules
// found in a core's memory. Every range is checked here, in 64-bit arithmetic, before libObject's
// endian-aware structs (Elf_Ehdr/Phdr/Shdr/Nhdr) decode the copied bytes; LLVM 14's note iterator
// is not used because it trusts n_namesz/n_descsz and assumes 4-byte alignment.
#pragma once

#include "io/byte_source.h"
#include "pkgnote/elf_report.h"
#include "pkgnote/limits.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

// Where an image lies in its ByteSource. A file on disk: offsets are file offsets (address 0,
// inMemory false). A module in a core's memory view: the ELF header is at ADDRESS, and note
// segments are found at their p_vaddr plus the load bias, as the loader mapped them.
struct ImageLocation {
  std::uint64_t address = 0;
  bool inMemory = false;
};

// One note as found; NAME is the raw owner bytes (n_namesz, NUL included), DESC n_descsz bytes.
struct RawNote {
  std::uint64_t offset = 0; // of the note header in the ByteSource
  std::uint32_t type = 0;
  std::string_view name;
  std::string_view desc;
};

// What pkgnote keeps from an image's notes.
struct NoteScan {
  std::string buildId;               // lowercase hex of the first GNU NT_GNU_BUILD_ID
  std::vector<PackageNote> packages; // every FDO/0xcafe1a7e note, in order
  // Note segments or sections that could not be read or walked, as messages without the file's
  // name: the notes before the bad one in the same region and all other regions are still read.
  std::vector<std::string> problems;
  std::size_t notesSeen =
      0; // of any owner and type: a walk over bytes that are not notes sees none
  // The descriptors of FDO/0x407c0c0a (.note.dlopen) notes, as found; parsed only when the
  // dependencies are asked for (dlopen_note.h).
  std::vector<std::string> dlopenNotes;
};

// The n_type of a .note.dlopen note (systemd's "dlopen Metadata for ELF Files").
inline constexpr std::uint32_t kDlopenNoteType = 0x407c0c0a;

// Segments bigger than this are refused: a file cannot hold them, a core's memory view could.
inline constexpr std::uint64_t kMaxNoteRegion = 256u << 20;
// Many PT_NOTE headers can point at the same large region: the bytes read per image are capped.
inline constexpr std::uint64_t kNoteReadBudget = 64u << 20;

// p_align / sh_addralign to note alignment: 8 -> 8, anything else -> 4 (as elfutils).
unsigned noteAlignment(std::uint64_t align);

// Adds NOTE to SCAN if it is a build-id or a package note; a package note whose payload does not
// parse is an error ("corrupt", unlike "absent").
llvm::Error collectNote(const RawNote &note, NoteScan &scan, const std::string &name);

// Calls FN for each note in REGION (read from BASE in the source named NAME; WHERE names the
// segment or section in messages). Trailing bytes shorter than a note header are padding.
template <class ELFT>
llvm::Error forEachNote(llvm::ArrayRef<std::uint8_t> region, std::uint64_t base, unsigned align,
                        const std::string &name, const std::string &where,
                        llvm::function_ref<llvm::Error(const RawNote &)> fn) {
  using Nhdr = typename ELFT::Nhdr;
  std::uint64_t at = 0;
  while (region.size() - at >= sizeof(Nhdr)) {
    Nhdr header;
    std::memcpy(&header, region.data() + at, sizeof(Nhdr));
    std::uint64_t namesz = header.n_namesz, descsz = header.n_descsz;
    std::uint64_t descAt = llvm::alignTo(at + sizeof(Nhdr) + namesz, align);
    std::uint64_t next = llvm::alignTo(descAt + descsz, align);
    if (descAt + descsz > region.size())
      return inputError(name, where + ": note at " + hexText(base + at) + ": namesz " +
                                  hexText(namesz) + " descsz " + hexText(descsz) +
                                  " extends past its end (" + hexText(region.size()) + ")");
    const char *bytes = reinterpret_cast<const char *>(region.data());
    RawNote note;
    note.offset = base + at;
    note.type = header.n_type;
    note.name = std::string_view(bytes + at + sizeof(Nhdr), namesz);
    note.desc = std::string_view(bytes + descAt, descsz);
    if (llvm::Error error = fn(note))
      return error;
    if (next >= region.size())
      break;
    at = next;
  }
  return llvm::Error::success();
}

template <class ELFT>
llvm::Expected<typename ELFT::Ehdr> readElfHeader(const ByteSource &source,
                                                  const ImageLocation &image) {
  std::vector<std::uint8_t> buffer;
  if (llvm::Error error =
          source.read(image.address, sizeof(typename ELFT::Ehdr), buffer, "ELF header"))
    return error;
  typename ELFT::Ehdr header;
  std::memcpy(&header, buffer.data(), sizeof(header));
  return header;
}

// A vector allocator that leaves new elements uninitialised: a header table is read straight
// into it, so zero-filling it first would only double the memory traffic (object files of
// hundreds of sections make that visible in a walk over /usr/lib).
template <class T> struct UninitializedAllocator : std::allocator<T> {
  template <class U> struct rebind { using other = UninitializedAllocator<U>; };
  template <class U> void construct(U *at) noexcept { ::new (static_cast<void *>(at)) U; }
  template <class U, class... Args> void construct(U *at, Args &&...args) {
    ::new (static_cast<void *>(at)) U(std::forward<Args>(args)...);
  }
};

template <class Entry> using HeaderTable = std::vector<Entry, UninitializedAllocator<Entry>>;

// COUNT entries of a header table at OFFSET, read in one go, straight into the table.
template <class Entry, class Table = std::vector<Entry>>
llvm::Expected<Table> readTable(const ByteSource &source, std::uint64_t offset, std::uint64_t count,
                                const char *what) {
  Table table;
  if (llvm::Error error = source.read(offset, count, table, what))
    return error;
  return table;
}

// Where the section header table lies: its offset and entry count, with the extended numbering
// of the gABI (e_shnum 0: the count is section 0's sh_size). Without section headers, count 0.
template <class ELFT>
llvm::Expected<std::pair<std::uint64_t, std::uint64_t>>
sectionTable(const ByteSource &source, const typename ELFT::Ehdr &header,
             const ImageLocation &image) {
  using Shdr = typename ELFT::Shdr;
  if (header.e_shoff == 0)
    return std::make_pair(std::uint64_t{0}, std::uint64_t{0});
  if (header.e_shentsize != sizeof(Shdr))
    return inputError(source.name(), "e_shentsize " + hexText(header.e_shentsize) + " is not " +
                                         hexText(sizeof(Shdr)));
  std::uint64_t offset = image.address + header.e_shoff;
  std::uint64_t count = header.e_shnum;
  if (count == 0) {
    HeaderTable<Shdr> first;
    if (llvm::Error error = source.read(offset, 1, first, "section header 0"))
      return error;
    count = first[0].sh_size;
  }
  // A count from the file (e_shnum, or section 0's 64-bit sh_size) that cannot fit is refused
  // before anything is sized for it; a small table is just read (the read finds a short file).
  if (count > kUncheckedReadBytes / sizeof(Shdr) && count > source.size() / sizeof(Shdr))
    return inputError(source.name(), "section count " + hexText(count) + " exceeds the file");
  return std::make_pair(offset, count);
}

// Calls FN(index, section header) for each section until FN returns false. The table is checked
// whole first (same message as reading it at once), then read 64 KiB at a time into one buffer:
// Free Pascal's object files under /usr/lib have tables of up to 1.8 MiB, and copying such a table
// into a buffer of its size ran at a quarter of the speed of copying it through a small one that
// stays in the CPU's cache.
template <class ELFT, class Fn>
llvm::Error forEachSectionHeader(const ByteSource &source, const typename ELFT::Ehdr &header,
                                 const ImageLocation &image, Fn &&fn) {
  using Shdr = typename ELFT::Shdr;
  auto table = sectionTable<ELFT>(source, header, image);
  if (!table)
    return table.takeError();
  auto [offset, count] = *table;
  if (count == 0)
    return llvm::Error::success();
  std::uint64_t bytes = count > UINT64_MAX / sizeof(Shdr) ? UINT64_MAX : count * sizeof(Shdr);
  if (llvm::Error error = source.checkAvailable(offset, bytes, "section headers"))
    return error;
  constexpr std::uint64_t kChunk = kUncheckedReadBytes / sizeof(Shdr);
  HeaderTable<Shdr> chunk;
  for (std::uint64_t first = 0; first < count; first += kChunk) {
    std::uint64_t entries = std::min(kChunk, count - first);
    if (llvm::Error error =
            source.read(offset + first * sizeof(Shdr), entries, chunk, "section headers"))
      return error;
    for (std::uint64_t i = 0; i < entries; ++i)
      if (!fn(static_cast<std::size_t>(first + i), chunk[i]))
        return llvm::Error::success();
  }
  return llvm::Error::success();
}

// Program headers, with PN_XNUM (count in section 0's sh_info).
template <class ELFT>
llvm::Expected<std::vector<typename ELFT::Phdr>>
readProgramHeaders(const ByteSource &source, const typename ELFT::Ehdr &header,
                   const ImageLocation &image) {
  using Phdr = typename ELFT::Phdr;
  std::vector<Phdr> segments;
  std::uint64_t count = header.e_phnum;
  if (count == 0 || header.e_phoff == 0)
    return segments;
  if (header.e_phentsize != sizeof(Phdr))
    return inputError(source.name(), "e_phentsize " + hexText(header.e_phentsize) + " is not " +
                                         hexText(sizeof(Phdr)));
  if (count == 0xffff /* PN_XNUM */) {
    auto table = sectionTable<ELFT>(source, header, image);
    if (!table)
      return table.takeError();
    if (table->second == 0)
      return inputError(source.name(), "e_phnum is PN_XNUM but there is no section 0");
    HeaderTable<typename ELFT::Shdr> first;
    if (llvm::Error error = source.read(table->first, 1, first, "section header 0"))
      return error;
    count = first[0].sh_info;
  }
  return readTable<Phdr>(source, image.address + header.e_phoff, count, "program headers");
}

// Reads the note region at OFFSET+SIZE and feeds its notes to collectNote.
template <class ELFT>
llvm::Error scanNoteRegion(const ByteSource &source, std::uint64_t offset, std::uint64_t size,
                           std::uint64_t align, const std::string &where, NoteScan &scan) {
  if (size > kMaxNoteRegion)
    return inputError(source.name(), where + ": size " + hexText(size) + " is too large");
  std::vector<std::uint8_t> buffer;
  if (llvm::Error error = source.read(offset, size, buffer, where))
    return error;
  unsigned align8or4 = noteAlignment(align);
  if (align8or4 == 8) {
    // mold before 1.11 merges 4- and 8-aligned notes into one PT_NOTE with p_align 8, so an
    // 8-aligned walk of it derails at the first 4-aligned note. When that walk fails and a
    // 4-aligned one succeeds, the segment is read at 4 (8-aligned notes such as
    // .note.gnu.property have sizes that keep both walks in step).
    auto walks = [&](unsigned by) {
      llvm::Error error = forEachNote<ELFT>(buffer, offset, by, source.name(), where,
                                            [](const RawNote &) { return llvm::Error::success(); });
      bool ok = !error;
      llvm::consumeError(std::move(error)); // only probing which alignment fits
      return ok;
    };
    if (!walks(8) && walks(4))
      align8or4 = 4;
  }
  return forEachNote<ELFT>(
      buffer, offset, align8or4, source.name(), where,
      [&](const RawNote &note) { return collectNote(note, scan, source.name()); });
}

// A scan with problems but no package note is an error (the first problem): the note may be in
// the bytes that could not be read, so "unstamped" would be a guess. With a package note, the
// problems travel along as warnings.
llvm::Expected<NoteScan> checkedScan(NoteScan scan, const std::string &name);

// Whether SCAN already holds kMaxNoteProblems problems; then it notes that the REGION (segment or
// section) at INDEX and those after it are not read, and the walk stops.
bool problemsCapped(NoteScan &scan, const char *region, std::size_t index);

// The load bias of an image in memory: where its first PT_LOAD (the one mapping the ELF header)
// landed, minus the address it was linked at.
template <class ELFT>
std::uint64_t loadBias(const std::vector<typename ELFT::Phdr> &segments,
                       const ImageLocation &image) {
  for (const auto &segment : segments)
    if (segment.p_type == llvm::ELF::PT_LOAD)
      return image.address - (segment.p_vaddr - segment.p_offset);
  return image.address;
}

// The notes of SHT_NOTE sections (SHT_NOBITS ones are not SHT_NOTE and so never read), without
// the final check: the caller decides whether their problems make the file corrupt.
template <class ELFT>
llvm::Expected<NoteScan> scanNoteSections(const ByteSource &source,
                                          const typename ELFT::Ehdr &header,
                                          const ImageLocation &image) {
  NoteScan scan;
  if (llvm::Error error = forEachSectionHeader<ELFT>(
          source, header, image, [&](std::size_t i, const typename ELFT::Shdr &section) {
            if (section.sh_type != llvm::ELF::SHT_NOTE || section.sh_size == 0)
              return true;
            if (problemsCapped(scan, "note section", i))
              return false;
            if (llvm::Error error = scanNoteRegion<ELFT>(source, image.address + section.sh_offset,
                                                         section.sh_size, section.sh_addralign,
                                                         "note section " + std::to_string(i), scan))
              scan.problems.push_back(problemAbout(std::move(error), source.name()));
            return true;
          }))
    return error;
  return scan;
}

// A separate debuginfo file (eu-strip -f) keeps the stripped file's program headers while its
// bytes moved, so its PT_NOTEs point at other bytes: their walk fails, or sees no note at all.
// Its SHT_NOTE sections still hold the notes, as readelf -n reads them; they replace the segment
// scan when they read cleanly (a debuginfo file without build-id is then unstamped, not corrupt).
// A file whose PT_NOTEs hold any note (nearly every file: build-id, ABI tag, Go's note) never
// gets here, so the common path reads no section header.
template <class ELFT>
NoteScan preferNoteSections(const ByteSource &source, const typename ELFT::Ehdr &header,
                            NoteScan fromSegments) {
  if ((fromSegments.problems.empty() && fromSegments.notesSeen != 0) || header.e_shoff == 0)
    return fromSegments;
  auto sections = scanNoteSections<ELFT>(source, header, ImageLocation{});
  if (!sections) {
    llvm::consumeError(sections.takeError()); // the segments' own result (or problem) stands
    return fromSegments;
  }
  if (!sections->problems.empty())
    return fromSegments;
  return std::move(*sections);
}

// The notes of PT_NOTE segments (a file or a module in memory), or, when there are no program
// headers (ET_REL, some hand-made files), of SHT_NOTE sections; a file whose PT_NOTEs cannot be
// read or hold nothing falls back to its SHT_NOTE sections (preferNoteSections).
// SEGMENTS are the image's program headers (readProgramHeaders).
template <class ELFT>
llvm::Expected<NoteScan> scanImageNotes(const ByteSource &source, const typename ELFT::Ehdr &header,
                                        const std::vector<typename ELFT::Phdr> &segments,
                                        const ImageLocation &image) {
  NoteScan scan;
  if (!segments.empty()) {
    std::uint64_t bias = image.inMemory ? loadBias<ELFT>(segments, image) : 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
    std::uint64_t budget = kNoteReadBudget;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto &segment = segments[i];
      if (segment.p_type != llvm::ELF::PT_NOTE || segment.p_filesz == 0)
        continue;
      std::uint64_t at = image.inMemory ? bias + segment.p_vaddr : std::uint64_t(segment.p_offset);
      std::pair<std::uint64_t, std::uint64_t> range{at, segment.p_filesz};
      if (problemsCapped(scan, "note segment", i))
        break;
      if (std::find(seen.begin(), seen.end(), range) != seen.end())
        continue; // two PT_NOTE headers for the same bytes: read them once
      seen.push_back(range);
      std::string where = "note segment " + std::to_string(i);
      if (segment.p_filesz <= kMaxNoteRegion && segment.p_filesz > budget) {
        scan.problems.push_back(where + " at " + hexText(at) + "+" + hexText(segment.p_filesz) +
                                " exceeds the read budget of " + hexText(kNoteReadBudget) +
                                " bytes per file");
        break;
      }
      budget -= std::min(budget, std::uint64_t(segment.p_filesz)); // too large: refused below
      if (llvm::Error error =
              scanNoteRegion<ELFT>(source, at, segment.p_filesz, segment.p_align, where, scan))
        scan.problems.push_back(problemAbout(std::move(error), source.name()));
    }
    if (!image.inMemory)
      scan = preferNoteSections<ELFT>(source, header, std::move(scan));
    return checkedScan(std::move(scan), source.name());
  }
  auto sections = scanNoteSections<ELFT>(source, header, image);
  if (!sections)
    return sections.takeError();
  return checkedScan(std::move(*sections), source.name());
}

} // namespace pkgnote::detail
