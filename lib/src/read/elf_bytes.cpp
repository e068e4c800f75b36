// SPDX-License-Identifier: MIT
// readElfBytes (elf_bytes.h): identifies the input from e_ident, then runs the note walker
// (elf_notes.h) for its class and byte order. The four ELFT instantiations are made here, once.
#include "read/elf_bytes.h"

#include "pe/pe_reader.h"
#include "read/elf_notes.h"
#include "read/streamed_read.h"

#include <cstring>

namespace pkgnote::detail {
namespace {

template <class ELFT>
ElfKind kindOf(const typename ELFT::Ehdr &header,
               const std::vector<typename ELFT::Phdr> &segments) {
  switch (header.e_type) {
  case llvm::ELF::ET_REL:
    return ElfKind::Relocatable;
  case llvm::ELF::ET_EXEC:
    return ElfKind::Executable;
  case llvm::ELF::ET_CORE:
    return ElfKind::Core;
  case llvm::ELF::ET_DYN:
    // A PIE is ET_DYN with an interpreter; systemd calls it an executable too.
    for (const auto &segment : segments)
      if (segment.p_type == llvm::ELF::PT_INTERP)
        return ElfKind::Executable;
    return ElfKind::SharedObject;
  default:
    return ElfKind::Other;
  }
}

template <class ELFT>
llvm::Expected<FileReport> readImage(const ByteSource &source, const ReadOptions &options,
                                     CoreModulesHook<ELFT> readCore) {
  ImageLocation image;
  auto header = readElfHeader<ELFT>(source, image);
  if (!header)
    return header.takeError();
  auto segments = readProgramHeaders<ELFT>(source, *header, image);
  if (!segments)
    return segments.takeError();

  FileReport report;
  report.path = source.name();
  report.kind = kindOf<ELFT>(*header, *segments);
  report.elfArchitecture = elfArchitectureName(header->e_machine);
  // A core's own notes describe the process (core/core_reader.h); its modules carry the packages.
  if (header->e_type == llvm::ELF::ET_CORE) {
    if (readCore)
      if (llvm::Error error = readCore(source, *header, *segments, options, report))
        return error;
    return report;
  }
  auto scan = scanImageNotes<ELFT>(source, *header, *segments, image);
  if (!scan)
    return scan.takeError();
  report.buildId = std::move(scan->buildId);
  report.packages = std::move(scan->packages);
  report.warnings = std::move(scan->problems);
  if (report.packages.size() > 1)
    report.warnings.push_back(std::to_string(report.packages.size()) +
                              " package notes, the first is reported as the package");
  return report;
}

// EI_CLASS and EI_DATA pick one of the walker's four instantiations.
llvm::Expected<FileReport> readByClass(const ByteSource &source, unsigned char fileClass,
                                       unsigned char data, const ReadOptions &options,
                                       const CoreHooks &cores) {
  using namespace llvm::ELF;
  using namespace llvm::object;
  if (fileClass == ELFCLASS32 && data == ELFDATA2LSB)
    return readImage<ELF32LE>(source, options, cores.le32);
  if (fileClass == ELFCLASS32 && data == ELFDATA2MSB)
    return readImage<ELF32BE>(source, options, cores.be32);
  if (fileClass == ELFCLASS64 && data == ELFDATA2LSB)
    return readImage<ELF64LE>(source, options, cores.le64);
  if (fileClass == ELFCLASS64 && data == ELFDATA2MSB)
    return readImage<ELF64BE>(source, options, cores.be64);
  return inputError(source.name(), "unknown ELF class " + hexText(fileClass) +
                                       " or data encoding " + hexText(data));
}

} // namespace

llvm::Expected<std::optional<FileReport>>
readElfBytes(const ByteSource &source, const ReadOptions &options, const CoreHooks *cores) {
  using namespace llvm::ELF;
  std::vector<std::uint8_t> ident;
  if (!source.holds(4))
    return std::nullopt;
  bool wholeIdent = source.holds(EI_NIDENT);
  if (llvm::Error error = source.read(0, wholeIdent ? EI_NIDENT : 4, ident, "e_ident"))
    return error;
  if (std::memcmp(ident.data(), ElfMagic, 4) != 0)
    return std::nullopt;
  if (!wholeIdent)
    return inputError(source.name(), "truncated ELF header");
  auto report =
      readByClass(source, ident[EI_CLASS], ident[EI_DATA], options, cores ? *cores : CoreHooks{});
  if (!report)
    return report.takeError();
  return std::optional<FileReport>(std::move(*report));
}

llvm::Expected<std::optional<FileReport>> readElfSource(const ByteSource &source) {
  auto report = readElfBytes(source, ReadOptions{}, nullptr);
  if (!report || *report)
    return report;
  return readPeBytes(source); // a package's or a layer's DLLs and EFI binaries count too
}

} // namespace pkgnote::detail
