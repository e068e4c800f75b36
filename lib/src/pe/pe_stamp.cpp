// SPDX-License-Identifier: MIT
// planPeStamp (pe_stamp.h). The whole image is read (its checksum covers every byte; PE files are
// small beside what a distribution's ELF files can be), LLVM's COFFObjectFile must accept it as
// well as pkgnote's own header reader, and the new file is drafted in memory; the plan is the
// ranges the draft changed, so that stampFile copies the rest of the input as it is.
#include "pe/pe_stamp.h"

#include "pe/pe_headers.h"

#include "llvm/Object/COFF.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <algorithm>
#include <cstring>

namespace pkgnote::detail {

using namespace llvm::object;
namespace COFF = llvm::COFF;

namespace {

// Larger PE images are refused rather than read into memory whole.
constexpr std::uint64_t kMaxPeBytes = std::uint64_t{1} << 30;
// offsetof(pe32_header, SizeOfHeaders), the same in PE32+.
constexpr std::uint64_t kSizeOfHeadersField = 60;

// The new file as it is drafted, and which byte ranges differ from the input's.
struct Draft {
  std::string bytes;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> changed; // offset, size

  void write(std::uint64_t offset, const void *data, std::size_t size) {
    if (offset + size > bytes.size())
      bytes.resize(offset + size, '\0');
    std::memcpy(bytes.data() + offset, data, size);
    changed.emplace_back(offset, size);
  }
  template <class T> void put(std::uint64_t offset, T value) {
    write(offset, &value, sizeof value);
  }
  void zeros(std::uint64_t offset, std::size_t size) {
    std::string none(size, '\0');
    write(offset, none.data(), size);
  }

  // The changed ranges, merged, as patches over the input.
  std::vector<StampPatch> patches() const {
    auto ranges = changed;
    std::sort(ranges.begin(), ranges.end());
    std::vector<StampPatch> out;
    std::uint64_t start = 0, end = 0;
    auto flush = [&] {
      if (end > start)
        out.push_back(StampPatch{
            start, std::vector<std::uint8_t>(bytes.begin() + start, bytes.begin() + end)});
    };
    for (const auto &[offset, size] : ranges) {
      if (offset > end) {
        flush();
        start = offset;
        end = offset;
      }
      end = std::max(end, offset + size);
    }
    flush();
    return out;
  }
};

// UAPI.8's section contents: the payload, its NUL, NULs to a multiple of 8.
std::string sectionContents(std::string_view json) {
  std::string data(json);
  data.push_back('\0');
  data.resize(llvm::alignTo(data.size(), 8), '\0');
  return data;
}

struct Layout {
  std::uint64_t rawEnd = 0;     // the end of the last section's raw data
  std::uint64_t virtualEnd = 0; // the end of the last section in memory, SectionAlignment'ed
  std::uint64_t firstRaw = UINT64_MAX, firstVirtual = UINT64_MAX;
};

Layout layoutOf(const PeHeaders &headers) {
  Layout layout;
  for (const coff_section &section : headers.sections) {
    std::uint64_t memory = std::max<std::uint64_t>(section.VirtualSize, section.SizeOfRawData);
    layout.virtualEnd = std::max<std::uint64_t>(
        layout.virtualEnd,
        llvm::alignTo(std::uint64_t(section.VirtualAddress) + memory, headers.sectionAlignment));
    layout.firstVirtual = std::min<std::uint64_t>(layout.firstVirtual, section.VirtualAddress);
    if (section.SizeOfRawData == 0 || section.PointerToRawData == 0)
      continue;
    layout.rawEnd = std::max<std::uint64_t>(layout.rawEnd, std::uint64_t(section.PointerToRawData) +
                                                               section.SizeOfRawData);
    layout.firstRaw = std::min<std::uint64_t>(layout.firstRaw, section.PointerToRawData);
  }
  return layout;
}

struct PePlanner {
  const PeHeaders &headers;
  const std::string &name;
  Draft draft;
  StampOutcome outcome;

  Error refusal(const std::string &message) const { return inputProblem(name, message); }

  void setSectionHeader(std::size_t index, const coff_section &section) {
    draft.put(headers.sectionTableOffset + index * sizeof(coff_section), section);
  }
  void setSizeOfImage(std::uint64_t end) {
    draft.put(headers.optionalOffset + PeHeaders::kSizeOfImage,
              llvm::support::ulittle32_t(
                  static_cast<std::uint32_t>(llvm::alignTo(end, headers.sectionAlignment))));
  }
  void addInitializedData(std::int64_t delta) {
    draft.put(headers.optionalOffset + PeHeaders::kSizeOfInitializedData,
              llvm::support::ulittle32_t(
                  static_cast<std::uint32_t>(headers.sizeOfInitializedData + delta)));
  }

  // A new last section: its header after the others, its data after everything in the file.
  // A data directory inside the note's section (imports, relocations, ...) means the section holds
  // more than the note, or the file points at memory no section had: rewriting, shrinking or
  // placing the section there would leave the directory pointing at the note. The certificate
  // table (index 4) is a file offset, not an address, and is handled by dropSignature.
  std::optional<Error> directoryInside(std::uint64_t start, std::uint64_t end) const {
    for (std::size_t i = 0; i < headers.directories.size(); ++i) {
      std::uint64_t rva = headers.directories[i].RelativeVirtualAddress;
      if (i != 4 && rva != 0 && rva >= start && rva < end)
        return refusal("data directory " + std::to_string(i) + " points into the " +
                       std::string(kPeNoteSection) + " section's addresses, at " + hexText(rva));
    }
    return std::nullopt;
  }

  std::optional<Error> addSection(const std::string &data, const Layout &layout) {
    std::size_t count = headers.sections.size();
    std::uint64_t slot = headers.sectionTableOffset + count * sizeof(coff_section);
    std::uint64_t limit = std::min(layout.firstRaw, layout.firstVirtual);
    if (slot + sizeof(coff_section) > limit)
      return refusal("no room for another section header: the section table ends at " +
                     hexText(slot) + ", the first section starts at " + hexText(limit));
    std::uint64_t headersEnd = headers.sizeOfHeaders;
    if (slot + sizeof(coff_section) > headersEnd) {
      headersEnd = llvm::alignTo(slot + sizeof(coff_section), headers.fileAlignment);
      if (headersEnd > limit)
        return refusal("no room for another section header within SizeOfHeaders " +
                       hexText(headers.sizeOfHeaders) + " and the first section at " +
                       hexText(limit));
      draft.put(headers.optionalOffset + kSizeOfHeadersField,
                llvm::support::ulittle32_t(static_cast<std::uint32_t>(headersEnd)));
    }
    // Bound imports (data directory 11) and other linkers' extras may follow the table.
    for (std::uint64_t i = slot; i < slot + sizeof(coff_section); ++i)
      if (i < draft.bytes.size() && draft.bytes[i] != '\0')
        return refusal("the bytes after the section table at " + hexText(slot) +
                       " are in use: no room for another section header");
    std::uint64_t rawAt =
        llvm::alignTo(std::max({layout.rawEnd, std::uint64_t(draft.bytes.size()), headersEnd}),
                      headers.fileAlignment);
    std::uint64_t address = llvm::alignTo(
        std::max<std::uint64_t>(layout.virtualEnd, headers.sizeOfImage), headers.sectionAlignment);
    std::uint64_t rawSize = llvm::alignTo(data.size(), headers.fileAlignment);
    if (rawAt + rawSize > UINT32_MAX || address + data.size() > UINT32_MAX)
      return refusal("no room for another section below 4 GiB");
    if (auto refused = directoryInside(address, address + rawSize))
      return refused;
    coff_section section;
    std::memset(&section, 0, sizeof section);
    std::memcpy(section.Name, kPeNoteSection, COFF::NameSize);
    section.VirtualSize = static_cast<std::uint32_t>(data.size());
    section.VirtualAddress = static_cast<std::uint32_t>(address);
    section.SizeOfRawData = static_cast<std::uint32_t>(rawSize);
    section.PointerToRawData = static_cast<std::uint32_t>(rawAt);
    section.Characteristics = COFF::IMAGE_SCN_CNT_INITIALIZED_DATA | COFF::IMAGE_SCN_MEM_READ;
    setSectionHeader(count, section);
    draft.put(headers.peOffset + 4 + offsetof(coff_file_header, NumberOfSections),
              llvm::support::ulittle16_t(static_cast<std::uint16_t>(count + 1)));
    std::uint64_t oldEnd = draft.bytes.size();
    if (rawAt > oldEnd)
      draft.zeros(oldEnd, rawAt - oldEnd);
    draft.write(rawAt, data.data(), data.size());
    draft.zeros(rawAt + data.size(), rawSize - data.size());
    setSizeOfImage(address + data.size());
    addInitializedData(static_cast<std::int64_t>(rawSize));
    outcome.layout = "pe-new-section";
    return std::nullopt;
  }

  // Over the existing `.pkgnote` (INDEX): in its raw data when the payload fits, or, when it is
  // the last section in the file and in memory, grown where it is.
  std::optional<Error> replaceSection(std::size_t index, const std::string &data,
                                      const Layout &layout) {
    coff_section section = headers.sections[index];
    std::uint64_t nextVirtual = UINT64_MAX;
    for (const coff_section &other : headers.sections)
      if (other.VirtualAddress > section.VirtualAddress)
        nextVirtual = std::min<std::uint64_t>(nextVirtual, other.VirtualAddress);
    std::uint64_t rawEnd = std::uint64_t(section.PointerToRawData) + section.SizeOfRawData;
    bool lastInFile = rawEnd == layout.rawEnd && rawEnd >= draft.bytes.size();
    bool lastInMemory = nextVirtual == UINT64_MAX;
    std::uint64_t virtualRoom = lastInMemory ? UINT64_MAX : nextVirtual - section.VirtualAddress;
    std::uint64_t rawSize = section.SizeOfRawData;
    if (data.size() > rawSize || data.size() > virtualRoom) {
      if (!lastInFile || !lastInMemory)
        return refusal("the " + std::string(kPeNoteSection) + " section (" +
                       std::to_string(section.SizeOfRawData) +
                       " bytes) is too small for the new payload and is not the last section");
      rawSize = llvm::alignTo(data.size(), headers.fileAlignment);
      outcome.layout = "pe-last-section";
    } else {
      outcome.layout = "pe-in-place";
    }
    if (std::uint64_t(section.PointerToRawData) + rawSize > UINT32_MAX)
      return refusal("the grown " + std::string(kPeNoteSection) + " section would pass 4 GiB");
    // What is rewritten must be the section's own bytes: not the headers, not another section's.
    std::uint64_t start = section.PointerToRawData, end = start + rawSize;
    std::uint64_t tableEnd =
        headers.sectionTableOffset + headers.sections.size() * sizeof(coff_section);
    bool overlaps = start < std::max<std::uint64_t>(headers.sizeOfHeaders, tableEnd);
    for (std::size_t i = 0; i < headers.sections.size(); ++i) {
      const coff_section &other = headers.sections[i];
      if (i != index && other.SizeOfRawData != 0 && other.PointerToRawData != 0 &&
          other.PointerToRawData < end &&
          start < std::uint64_t(other.PointerToRawData) + other.SizeOfRawData)
        overlaps = true;
    }
    std::uint64_t oldVirtualEnd = std::uint64_t(section.VirtualAddress) +
                                  std::max({section.VirtualSize, section.SizeOfRawData});
    if (auto refused = directoryInside(section.VirtualAddress,
                                       std::max(oldVirtualEnd, section.VirtualAddress + rawSize)))
      return refused;
    if (overlaps)
      return refusal("the " + std::string(kPeNoteSection) + " section's data at " + hexText(start) +
                     "+" + hexText(rawSize) + " overlaps the headers or another section");
    draft.write(section.PointerToRawData, data.data(), data.size());
    draft.zeros(section.PointerToRawData + data.size(), rawSize - data.size());
    addInitializedData(static_cast<std::int64_t>(rawSize) -
                       static_cast<std::int64_t>(section.SizeOfRawData));
    section.VirtualSize = static_cast<std::uint32_t>(data.size());
    section.SizeOfRawData = static_cast<std::uint32_t>(rawSize);
    setSectionHeader(index, section);
    if (lastInMemory)
      setSizeOfImage(std::uint64_t(section.VirtualAddress) + data.size());
    outcome.replacedNote = true;
    return std::nullopt;
  }

  // A certificate table (its "address" is a file offset) is an Authenticode signature over the
  // bytes stamping changes: refused, or removed (and cut off when it ends the file) when allowed.
  std::optional<Error> dropSignature(bool allowUnsigning, std::uint64_t fileSize) {
    data_directory table = headers.directory(COFF::CERTIFICATE_TABLE);
    if (table.Size == 0)
      return std::nullopt;
    std::string where = hexText(table.RelativeVirtualAddress) + "+" + hexText(table.Size);
    if (!allowUnsigning)
      return refusal("Authenticode-signed (certificate table at " + where +
                     "): a new section would invalidate the signature; --allow-unsigning "
                     "removes it");
    std::uint64_t at = table.RelativeVirtualAddress;
    // Cut off only when it is where signing tools put it: after the headers and every section.
    std::uint64_t tableEnd =
        headers.sectionTableOffset + headers.sections.size() * sizeof(coff_section);
    std::uint64_t contentEnd =
        std::max({layoutOf(headers).rawEnd, std::uint64_t(headers.sizeOfHeaders), tableEnd});
    if (at <= fileSize && llvm::alignTo(at + table.Size, 8) >= fileSize && at >= contentEnd)
      draft.bytes.resize(at);
    data_directory none;
    none.RelativeVirtualAddress = 0;
    none.Size = 0;
    draft.put(headers.directoriesOffset + COFF::CERTIFICATE_TABLE * sizeof(data_directory), none);
    outcome.warnings.push_back("the Authenticode signature (certificate table at " + where +
                               ") was removed: sign the stamped file again");
    return std::nullopt;
  }
};

} // namespace

bool startsLikePe(const StampReader &read, std::uint64_t fileSize) {
  std::uint8_t magic[2];
  return fileSize >= 2 && read(0, 2, magic) && magic[0] == 'M' && magic[1] == 'Z';
}

std::uint32_t peChecksum(std::string_view bytes) {
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    sum += static_cast<std::uint8_t>(bytes[i]) |
           std::uint32_t(static_cast<std::uint8_t>(bytes[i + 1])) << 8;
    sum = (sum & 0xffff) + (sum >> 16);
  }
  if (i < bytes.size())
    sum += static_cast<std::uint8_t>(bytes[i]);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint32_t>(sum + bytes.size());
}

Result<StampPlan> planPeStamp(const StampReader &read, std::uint64_t fileSize,
                              std::string_view payloadJson, const StampOptions &options,
                              const std::string &name) {
  auto error = [&](const std::string &message) { return inputProblem(name, message); };
  if (fileSize > kMaxPeBytes)
    return error("PE image of " + std::to_string(fileSize) + " bytes: larger than pkgnote stamps");
  std::string original(static_cast<std::size_t>(fileSize), '\0');
  if (!read(0, original.size(), reinterpret_cast<std::uint8_t *>(original.data())))
    return error("cannot read");
  MemoryByteSource source(original, name);
  auto headers = readPeHeaders(source);
  if (!headers)
    return toPublicError(headers.takeError());
  if (!*headers) {
    if (!options.skipUnstampable)
      return error("not an ELF file or PE image");
    StampPlan plan;
    plan.outcome.action = StampAction::Skipped;
    plan.outcome.skipReason = "not a PE image";
    plan.newSize = fileSize;
    return plan;
  }
  auto object = COFFObjectFile::create(llvm::MemoryBufferRef(original, name));
  if (!object)
    return error("LLVM's COFF reader refuses it: " + llvm::toString(object.takeError()));
  const PeHeaders &pe = **headers;
  // The PE specification's bounds (FileAlignment 512 to 64 KiB; EFI tools write less) keep the
  // padding the new section needs small.
  if (!llvm::isPowerOf2_32(pe.fileAlignment) || !llvm::isPowerOf2_32(pe.sectionAlignment) ||
      pe.fileAlignment < 2 || pe.fileAlignment > 0x10000 || pe.sectionAlignment > (1u << 24))
    return error("FileAlignment " + hexText(pe.fileAlignment) + " or SectionAlignment " +
                 hexText(pe.sectionAlignment) + " is not a power of two within bounds");
  Layout found = layoutOf(pe);
  if (pe.sizeOfHeaders > std::min(found.firstRaw, std::uint64_t(fileSize)))
    return error("SizeOfHeaders " + hexText(pe.sizeOfHeaders) +
                 " goes past the first section's data or the end of the file");
  // Section data must be in the file: what is appended goes after all of it.
  for (std::size_t i = 0; i < pe.sections.size(); ++i) {
    const coff_section &section = pe.sections[i];
    if (section.SizeOfRawData != 0 &&
        std::uint64_t(section.PointerToRawData) + section.SizeOfRawData > fileSize)
      return error("section " + std::to_string(i + 1) + ": raw data at " +
                   hexText(section.PointerToRawData) + "+" + hexText(section.SizeOfRawData) +
                   " extends past end of file (" + hexText(fileSize) + ")");
  }

  std::vector<std::size_t> notes;
  for (std::size_t i = 0; i < pe.sections.size(); ++i)
    if (sectionName(pe.sections[i]) == kPeNoteSection)
      notes.push_back(i);
  if (notes.size() > 1)
    return error(std::to_string(notes.size()) + " " + kPeNoteSection + " sections");
  if (!notes.empty() && options.ifUnstamped) {
    StampPlan plan;
    plan.outcome.action = StampAction::LeftAlone;
    plan.outcome.pe = true;
    plan.newSize = fileSize;
    return plan;
  }

  PePlanner planner{pe, name, Draft{original, {}}, StampOutcome{}};
  planner.outcome.pe = true;
  if (auto refused = planner.dropSignature(options.allowUnsigning, fileSize))
    return *refused;
  std::string data = sectionContents(payloadJson);
  Layout layout = layoutOf(pe);
  auto refused = notes.empty() ? planner.addSection(data, layout)
                               : planner.replaceSection(notes.front(), data, layout);
  if (refused)
    return *refused;
  if (pe.checkSum != 0) {
    std::uint64_t field = pe.optionalOffset + PeHeaders::kCheckSum;
    planner.draft.put(field, llvm::support::ulittle32_t(0));
    planner.draft.put(field, llvm::support::ulittle32_t(peChecksum(planner.draft.bytes)));
  }
  StampPlan plan;
  plan.outcome = std::move(planner.outcome);
  plan.newSize = planner.draft.bytes.size();
  plan.patches = planner.draft.patches();
  return plan;
}

} // namespace pkgnote::detail
