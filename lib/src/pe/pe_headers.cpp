// SPDX-License-Identifier: MIT
// readPeHeaders (pe_headers.h): the DOS header's e_lfanew, the signature, the COFF file header,
// the optional header and the section table, each range checked against the file before it is
// read (ByteSource::read refuses what lies past the end); fields that size later reads
// (SizeOfOptionalHeader, NumberOfRvaAndSize, NumberOfSections) are checked against each other.
#include "pe/pe_headers.h"

#include <cstring>

namespace pkgnote::detail {

using namespace llvm::object;
namespace COFF = llvm::COFF;

namespace {

// Little-endian fields at OFFSET of BYTES (a header already read and range-checked).
template <class T> T fieldAt(const std::vector<std::uint8_t> &bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

// The fixed part of the optional header before the data directories.
constexpr std::uint64_t kOptionalFixed32 = sizeof(pe32_header);
constexpr std::uint64_t kOptionalFixed64 = sizeof(pe32plus_header);

llvm::Error readOptionalHeader(const ByteSource &source, PeHeaders &headers) {
  std::uint16_t size = headers.file.SizeOfOptionalHeader;
  if (size < 2)
    return inputError(source.name(), "PE optional header of " + std::to_string(size) +
                                         " bytes is too small (an object file, not an image)");
  std::vector<std::uint8_t> optional;
  if (llvm::Error error = source.read(headers.optionalOffset, size, optional, "PE optional header"))
    return error;
  std::uint16_t magic = fieldAt<llvm::support::ulittle16_t>(optional, 0);
  if (magic != COFF::PE32Header::PE32 && magic != COFF::PE32Header::PE32_PLUS)
    return inputError(source.name(), "PE optional header magic " + hexText(magic) +
                                         " is neither PE32 (0x10b) nor PE32+ (0x20b)");
  headers.is64 = magic == COFF::PE32Header::PE32_PLUS;
  std::uint64_t fixed = headers.is64 ? kOptionalFixed64 : kOptionalFixed32;
  if (size < fixed)
    return inputError(source.name(), "PE optional header of " + std::to_string(size) +
                                         " bytes is shorter than its fixed part (" +
                                         std::to_string(fixed) + ")");
  // The fields both kinds have sit at the same offsets (pe_headers.h).
  static_assert(offsetof(pe32_header, SizeOfImage) == PeHeaders::kSizeOfImage);
  static_assert(offsetof(pe32plus_header, SizeOfImage) == PeHeaders::kSizeOfImage);
  static_assert(offsetof(pe32plus_header, CheckSum) == PeHeaders::kCheckSum);
  static_assert(offsetof(pe32_header, CheckSum) == PeHeaders::kCheckSum);
  static_assert(offsetof(pe32plus_header, SizeOfInitializedData) ==
                PeHeaders::kSizeOfInitializedData);
  static_assert(offsetof(pe32plus_header, Subsystem) == offsetof(pe32_header, Subsystem));
  static_assert(offsetof(pe32plus_header, SectionAlignment) ==
                offsetof(pe32_header, SectionAlignment));
  using U16 = llvm::support::ulittle16_t;
  using U32 = llvm::support::ulittle32_t;
  headers.sizeOfInitializedData = fieldAt<U32>(optional, PeHeaders::kSizeOfInitializedData);
  headers.sectionAlignment = fieldAt<U32>(optional, offsetof(pe32_header, SectionAlignment));
  headers.fileAlignment = fieldAt<U32>(optional, offsetof(pe32_header, FileAlignment));
  headers.sizeOfImage = fieldAt<U32>(optional, PeHeaders::kSizeOfImage);
  headers.sizeOfHeaders = fieldAt<U32>(optional, offsetof(pe32_header, SizeOfHeaders));
  headers.checkSum = fieldAt<U32>(optional, PeHeaders::kCheckSum);
  headers.subsystem = fieldAt<U16>(optional, offsetof(pe32_header, Subsystem));
  headers.dllCharacteristics = fieldAt<U16>(optional, offsetof(pe32_header, DLLCharacteristics));
  std::uint32_t count = fieldAt<U32>(optional, fixed - 4); // NumberOfRvaAndSize ends the fixed part
  std::uint64_t room = (size - fixed) / sizeof(data_directory);
  if (count > room)
    return inputError(source.name(), "PE optional header: " + std::to_string(count) +
                                         " data directories do not fit in its " +
                                         std::to_string(size) + " bytes");
  headers.directoriesOffset = headers.optionalOffset + fixed;
  headers.directories.resize(count);
  if (count)
    std::memcpy(headers.directories.data(), optional.data() + fixed,
                count * sizeof(data_directory));
  return llvm::Error::success();
}

} // namespace

data_directory PeHeaders::directory(unsigned index) const {
  if (index < directories.size())
    return directories[index];
  data_directory none;
  none.RelativeVirtualAddress = 0;
  none.Size = 0;
  return none;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>>
PeHeaders::fileRangeOf(std::uint32_t rva) const {
  for (const coff_section &section : sections) {
    std::uint64_t start = section.VirtualAddress;
    std::uint64_t raw = section.SizeOfRawData;
    if (section.VirtualSize != 0 && section.VirtualSize < raw)
      raw = section.VirtualSize;
    if (rva >= start && rva - start < raw)
      return std::make_pair(std::uint64_t(section.PointerToRawData) + (rva - start),
                            raw - (rva - start));
  }
  if (rva < sizeOfHeaders)
    return std::make_pair(std::uint64_t(rva), std::uint64_t(sizeOfHeaders - rva));
  return std::nullopt;
}

std::string sectionName(const coff_section &section) {
  return std::string(section.Name, strnlen(section.Name, COFF::NameSize));
}

llvm::Expected<std::optional<PeHeaders>> readPeHeaders(const ByteSource &source) {
  if (!source.holds(sizeof(dos_header)))
    return std::nullopt;
  std::vector<dos_header> dos;
  if (llvm::Error error = source.read(0, 1, dos, "DOS header"))
    return error;
  if (dos[0].Magic[0] != 'M' || dos[0].Magic[1] != 'Z')
    return std::nullopt;
  PeHeaders headers;
  headers.peOffset = dos[0].AddressOfNewExeHeader;
  std::uint64_t fileHeaderAt = std::uint64_t(headers.peOffset) + sizeof(COFF::PEMagic);
  // Without the signature this is a DOS program (or only looks like one): not ours to read.
  if (!source.holds(fileHeaderAt + sizeof(coff_file_header)))
    return std::nullopt;
  std::vector<std::uint8_t> signature;
  if (llvm::Error error = source.read(headers.peOffset, 4, signature, "PE signature"))
    return error;
  if (std::memcmp(signature.data(), COFF::PEMagic, 4) != 0)
    return std::nullopt;
  std::vector<coff_file_header> file;
  if (llvm::Error error = source.read(fileHeaderAt, 1, file, "COFF file header"))
    return error;
  headers.file = file[0];
  headers.optionalOffset = fileHeaderAt + sizeof(coff_file_header);
  if (llvm::Error error = readOptionalHeader(source, headers))
    return error;
  headers.sectionTableOffset = headers.optionalOffset + headers.file.SizeOfOptionalHeader;
  if (llvm::Error error = source.read(headers.sectionTableOffset, headers.file.NumberOfSections,
                                      headers.sections, "PE section table"))
    return error;
  return std::optional<PeHeaders>(std::move(headers));
}

} // namespace pkgnote::detail
