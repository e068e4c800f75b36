// SPDX-License-Identifier: MIT
// readElfBytes (elf_bytes.h): identifies the input from e_ident, then runs the note walker
// (elf_notes.h) for its class and byte order. The four ELFT instantiations are made here, once.
#include "read/elf_bytes.h"

#include "read/dlopen_note.h"
#include "read/elf_dynamic.h"
#include "pe/pe_reader.h"
#include "read/elf_notes.h"
#include "read/streamed_read.h"

#include <algorithm>
#include <cstring>

namespace pkgnote::detail {
namespace {

// e_type, with the loader's view of ET_DYN: a PIE is an executable. A dynamically linked PIE has
// PT_INTERP; a static PIE (gcc -static-pie, qemu-user-static) has none, and says what it is with
// DF_1_PIE in DT_FLAGS_1 (which the linker sets for every PIE). systemd-analyze looks at
// PT_INTERP only and calls a static PIE a library; `file` and the kernel agree with this.
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
    for (const auto &segment : segments)
      if (segment.p_type == llvm::ELF::PT_INTERP)
        return ElfKind::Executable;
    return ElfKind::SharedObject;
  default:
    return ElfKind::Other;
  }
}

// The dynamic table is read only this far: DT_FLAGS_1 comes early, and a PIE's table is small.
constexpr std::uint64_t kMaxDynamicBytes = 16u << 10;

// The PT_DYNAMIC segment of an ET_DYN file without PT_INTERP, the one whose DT_FLAGS_1 decides
// between a static PIE and a shared object; null otherwise.
template <class ELFT>
const typename ELFT::Phdr *dynamicToCheck(ElfKind kind,
                                          const std::vector<typename ELFT::Phdr> &segments) {
  if (kind != ElfKind::SharedObject)
    return nullptr;
  for (const auto &segment : segments)
    if (segment.p_type == llvm::ELF::PT_DYNAMIC && segment.p_filesz > 0)
      return &segment;
  return nullptr;
}

// Whether the dynamic table in DYNAMIC carries DF_1_PIE. A table that cannot be read leaves the
// file a shared object: the kind is a description, not a reason to refuse the file.
template <class ELFT>
bool hasPieFlag(const ByteSource &source, const typename ELFT::Phdr &dynamic) {
  using Dyn = typename ELFT::Dyn;
  std::uint64_t bytes = std::min<std::uint64_t>(dynamic.p_filesz, kMaxDynamicBytes);
  std::vector<Dyn> table;
  if (llvm::Error error = source.read(dynamic.p_offset, bytes / sizeof(Dyn), table, "PT_DYNAMIC")) {
    llvm::consumeError(std::move(error));
    return false;
  }
  for (const Dyn &entry : table) {
    if (entry.d_tag == llvm::ELF::DT_NULL)
      break;
    if (entry.d_tag == llvm::ELF::DT_FLAGS_1 && (entry.d_un.d_val & llvm::ELF::DF_1_PIE))
      return true;
  }
  return false;
}

// `read --deps` reads PT_DYNAMIC after the notes, then the strings DT_STRTAB points at, which the
// linkers put in the first PT_LOAD, before PT_DYNAMIC (after .dynsym, megabytes into libLLVM).
// A stream that cannot go back (an image's layer, a pipe) would be past them by then: asked for
// before the notes, the table and the first PT_LOAD's bytes up to it are kept as the stream goes
// by. Only this many of them: the strings of the largest libraries end within 5 MiB.
constexpr std::uint64_t kMaxStringsAhead = 8u << 20;

template <class ELFT>
void expectDynamic(const ByteSource &source, const std::vector<typename ELFT::Phdr> &segments) {
  const typename ELFT::Phdr *dynamic = nullptr, *first = nullptr;
  for (const auto &segment : segments) {
    if (segment.p_type == llvm::ELF::PT_DYNAMIC)
      dynamic = &segment; // the last one, as readDynamic takes it
    if (segment.p_type == llvm::ELF::PT_LOAD && segment.p_filesz > 0 &&
        (!first || segment.p_offset < first->p_offset))
      first = &segment;
  }
  if (!dynamic || dynamic->p_filesz == 0)
    return;
  std::uint64_t table = dynamic->p_offset;
  if (first && first->p_offset < table) {
    std::uint64_t end = std::min<std::uint64_t>(
        {table, first->p_offset + first->p_filesz, first->p_offset + kMaxStringsAhead});
    if (end > first->p_offset)
      source.expect(first->p_offset, end - first->p_offset);
  }
  source.expect(table, std::min<std::uint64_t>(dynamic->p_filesz,
                                               kMaxDynamicEntries * sizeof(typename ELFT::Dyn)));
}

// `read --deps`: a dynamic section that cannot be read is a warning, as a malformed dlopen note is
// an error field of the record: the package note was read all the same.
template <class ELFT>
void addDependencies(const ByteSource &source, const std::vector<typename ELFT::Phdr> &segments,
                     const std::vector<std::string> &dlopenNotes, FileReport &report) {
  Dependencies dependencies;
  if (auto read = readDynamic<ELFT>(source, segments))
    dependencies = std::move(*read);
  else
    report.warnings.push_back(problemAbout(read.takeError(), source.name()));
  parseDlopenNotes(dlopenNotes, dependencies);
  report.dependencies = std::move(dependencies);
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
  report.elfClass = header->e_ident[llvm::ELF::EI_CLASS];
  report.elfData = header->e_ident[llvm::ELF::EI_DATA];
  report.machine = header->e_machine;
  // A core's own notes describe the process (core/core_reader.h); its modules carry the packages.
  if (header->e_type == llvm::ELF::ET_CORE) {
    if (readCore)
      if (llvm::Error error = readCore(source, *header, *segments, options, report))
        return error;
    return report;
  }
  // Asked for before the notes, read after them: a stream (stdin, a compressed file) then keeps
  // the table's bytes as it goes past them, whichever comes first in the file.
  const auto *dynamic = dynamicToCheck<ELFT>(report.kind, *segments);
  if (dynamic)
    source.expect(dynamic->p_offset, std::min<std::uint64_t>(dynamic->p_filesz, kMaxDynamicBytes));
  if (options.dependencies)
    expectDynamic<ELFT>(source, *segments);
  auto scan = scanImageNotes<ELFT>(source, *header, *segments, image);
  if (!scan)
    return scan.takeError();
  if (dynamic && hasPieFlag<ELFT>(source, *dynamic))
    report.kind = ElfKind::Executable;
  report.buildId = std::move(scan->buildId);
  report.packages = std::move(scan->packages);
  report.warnings = std::move(scan->problems);
  if (report.packages.size() > 1)
    report.warnings.push_back(std::to_string(report.packages.size()) +
                              " different package notes, the first is reported as the package");
  if (options.dependencies)
    addDependencies<ELFT>(source, *segments, scan->dlopenNotes, report);
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
