// SPDX-License-Identifier: MIT
// readPeBytes (pe_reader.h): the headers, then each `.pkgnote` section's bytes (its virtual size,
// not the file-aligned raw size, which the linker pads) and the debug directory's CodeView entry.
#include "pe/pe_reader.h"

#include "pe/pe_headers.h"
#include "pkgnote/limits.h"
#include "pkgnote/metadata.h"
#include "pkgnote/payload_json.h"

#include "llvm/Object/CVDebugRecord.h"

#include <cstring>

namespace pkgnote::detail {

using namespace llvm::object;
namespace COFF = llvm::COFF;

namespace {

// What a PE image is, in the words of FORMAT.md: its subsystem says EFI, its characteristics DLL.
std::string peTypeOf(const PeHeaders &headers) {
  switch (headers.subsystem) {
  case COFF::IMAGE_SUBSYSTEM_EFI_APPLICATION:
    return "efi-application";
  case COFF::IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER:
    return "efi-boot-service-driver";
  case COFF::IMAGE_SUBSYSTEM_EFI_RUNTIME_DRIVER:
    return "efi-runtime-driver";
  case COFF::IMAGE_SUBSYSTEM_EFI_ROM:
    return "efi-rom";
  default:
    break;
  }
  if (headers.file.Characteristics & COFF::IMAGE_FILE_DLL)
    return "dll";
  return "executable";
}

ElfKind kindOf(const std::string &peType) {
  if (peType == "dll")
    return ElfKind::SharedObject;
  if (peType == "executable" || peType == "efi-application")
    return ElfKind::Executable;
  return ElfKind::Other;
}

// The symbol-server form of a PDB 7.0 signature: the GUID as its text form orders it (Data1,
// Data2, Data3 as numbers, then Data4's bytes), then the age, all lowercase hex with no dashes:
// what symstore and symbol servers index a PDB by (".../name.pdb/GUIDAGE/name.pdb").
std::string codeViewId(const llvm::codeview::PDB70DebugInfo &info) {
  const std::uint8_t *g = info.Signature;
  char text[64];
  int length = std::snprintf(text, sizeof text,
                             "%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%x",
                             g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10],
                             g[11], g[12], g[13], g[14], g[15], static_cast<unsigned>(info.Age));
  return std::string(text, static_cast<std::size_t>(length));
}

// The first CodeView PDB 7.0 entry of the debug directory, or "" when there is none. A debug
// directory that points nowhere is a problem (a warning), not a reason to drop the package.
llvm::Expected<std::string> readCodeViewId(const ByteSource &source, const PeHeaders &headers) {
  data_directory where = headers.directory(COFF::DEBUG_DIRECTORY);
  if (where.RelativeVirtualAddress == 0 || where.Size < sizeof(debug_directory))
    return std::string();
  auto range = headers.fileRangeOf(where.RelativeVirtualAddress);
  if (!range || range->second < where.Size)
    return inputError(source.name(), "debug directory at RVA " +
                                         hexText(where.RelativeVirtualAddress) +
                                         " is not in any section's data");
  std::size_t count = std::min<std::size_t>(where.Size / sizeof(debug_directory), 64);
  source.expect(range->first, count * sizeof(debug_directory));
  std::vector<debug_directory> entries;
  if (llvm::Error error = source.read(range->first, count, entries, "debug directory"))
    return error;
  for (const debug_directory &entry : entries) {
    if (entry.Type != COFF::IMAGE_DEBUG_TYPE_CODEVIEW ||
        entry.SizeOfData < sizeof(llvm::codeview::PDB70DebugInfo))
      continue;
    source.expect(entry.PointerToRawData, sizeof(llvm::codeview::PDB70DebugInfo));
    std::vector<llvm::codeview::PDB70DebugInfo> info;
    if (llvm::Error error = source.read(entry.PointerToRawData, 1, info, "CodeView record"))
      return error;
    if (info[0].CVSignature == llvm::OMF::Signature::PDB70)
      return codeViewId(info[0]);
  }
  return std::string();
}

llvm::Error readNoteSection(const ByteSource &source, const coff_section &section,
                            std::size_t index, FileReport &report) {
  std::string where = "section " + std::to_string(index + 1) + " (" + kPeNoteSection + ")";
  // The virtual size is the section's own; the raw size is padded to FileAlignment with zeros
  // (or, for an object file's section, is the size, VirtualSize being 0).
  std::uint64_t size = section.SizeOfRawData;
  if (section.VirtualSize != 0 && section.VirtualSize < size)
    size = section.VirtualSize;
  if (size > kMaxPayloadBytes + 1 + 4096)
    return inputError(source.name(), where + ": " + std::to_string(size) +
                                         " bytes, more than a payload of at most " +
                                         std::to_string(kMaxPayloadBytes) + " can need");
  std::vector<char> bytes;
  if (llvm::Error error = source.read(section.PointerToRawData, size, bytes, where))
    return error;
  auto payload = pePayloadOf(std::string_view(bytes.data(), bytes.size()), source.name(), where);
  if (!payload)
    return payload.takeError();
  Result<PackageMetadata> metadata = parsePayloadJson(*payload);
  if (!metadata)
    return inputError(source.name(), where + ": " + metadata.error().message);
  report.packages.push_back(PackageNote{std::move(*metadata), section.PointerToRawData});
  if (!(section.Characteristics & COFF::IMAGE_SCN_CNT_INITIALIZED_DATA) ||
      (section.Characteristics & COFF::IMAGE_SCN_MEM_WRITE))
    report.warnings.push_back(where + ": characteristics " + hexText(section.Characteristics) +
                              " are not initialized read-only data, as UAPI.8 asks");
  return llvm::Error::success();
}

} // namespace

std::string peMachineName(std::uint16_t machine) {
  switch (machine) {
  case COFF::IMAGE_FILE_MACHINE_AMD64:
    return "x86-64";
  case COFF::IMAGE_FILE_MACHINE_I386:
    return "i386";
  case COFF::IMAGE_FILE_MACHINE_ARM64:
    return "arm64";
  case COFF::IMAGE_FILE_MACHINE_ARM:
    return "arm";
  case COFF::IMAGE_FILE_MACHINE_ARMNT:
    return "armnt";
  case COFF::IMAGE_FILE_MACHINE_IA64:
    return "ia64";
  case COFF::IMAGE_FILE_MACHINE_RISCV32:
    return "riscv32";
  case COFF::IMAGE_FILE_MACHINE_RISCV64:
    return "riscv64";
  case 0x6264:
    return "loongarch64"; // IMAGE_FILE_MACHINE_LOONGARCH64, newer than LLVM 14
  case 0xebc:
    return "ebc"; // EFI byte code
  default:
    return hexText(machine);
  }
}

llvm::Expected<std::string_view> pePayloadOf(std::string_view bytes, const std::string &name,
                                             const std::string &where) {
  std::size_t nul = bytes.find('\0');
  if (nul == std::string_view::npos)
    return inputError(name, where + ": payload is not NUL-terminated");
  if (bytes.find_first_not_of('\0', nul) != std::string_view::npos)
    return inputError(name, where + ": nonzero byte at " +
                                hexText(bytes.find_first_not_of('\0', nul)) +
                                " after the payload's terminating NUL");
  return bytes.substr(0, nul);
}

llvm::Expected<std::optional<FileReport>> readPeBytes(const ByteSource &source) {
  auto headers = readPeHeaders(source);
  if (!headers)
    return headers.takeError();
  if (!*headers)
    return std::nullopt;
  FileReport report;
  report.path = source.name();
  report.format = FileFormat::Pe;
  report.peType = peTypeOf(**headers);
  report.kind = kindOf(report.peType);
  report.elfArchitecture = peMachineName((*headers)->file.Machine);
  const auto &sections = (*headers)->sections;
  // A package member or compressed file arrives as a stream (read/streamed_read.h): every range
  // known now is announced before any is read, and the reads go in file order (the debug
  // directory, then its CodeView record, then the sections a stamp appended at the end), so one
  // pass captures them all.
  for (const coff_section &section : sections)
    if (sectionName(section) == kPeNoteSection)
      source.expect(section.PointerToRawData,
                    std::min<std::uint64_t>(section.SizeOfRawData, kMaxPayloadBytes + 1 + 4096));
  auto id = readCodeViewId(source, **headers);
  if (id)
    report.buildId = std::move(*id);
  else
    report.warnings.push_back(problemAbout(id.takeError(), source.name()));
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (sectionName(sections[i]) != kPeNoteSection)
      continue;
    if (report.packages.size() == kMaxPackageNotes) {
      report.warnings.push_back("more than " + std::to_string(kMaxPackageNotes) + " " +
                                kPeNoteSection + " sections, the rest not read");
      break;
    }
    if (llvm::Error error = readNoteSection(source, sections[i], i, report))
      return error;
  }
  if (report.packages.size() > 1)
    report.warnings.push_back(std::to_string(report.packages.size()) + " " + kPeNoteSection +
                              " sections, the first is reported as the package");
  return std::optional<FileReport>(std::move(report));
}

} // namespace pkgnote::detail
