// SPDX-License-Identifier: MIT
// readElfFile: identifies the input from e_ident, then runs the note walker (elf_notes.h) for
// its class and byte order. The four ELFT instantiations are made here, once.
#include "pkgnote/elf_reader.h"

#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "core/core_reader.h"
#include "read/elf_notes.h"
#include "read/read_batch.h"
#include "read/streamed_read.h"

#include "llvm/Object/ELFTypes.h"

#include <algorithm>
#include <cstring>

namespace pkgnote {
namespace detail {
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
llvm::Expected<FileReport> readImage(const ByteSource &source, const ReadOptions &options) {
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
  // A core's own notes describe the process (core_reader.cpp); its modules carry the packages.
  if (header->e_type == llvm::ELF::ET_CORE) {
    if (llvm::Error error = readCoreModules<ELFT>(source, *header, *segments, options, report))
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
                                       unsigned char data, const ReadOptions &options) {
  using namespace llvm::ELF;
  if (fileClass == ELFCLASS32 && data == ELFDATA2LSB)
    return readImage<llvm::object::ELF32LE>(source, options);
  if (fileClass == ELFCLASS32 && data == ELFDATA2MSB)
    return readImage<llvm::object::ELF32BE>(source, options);
  if (fileClass == ELFCLASS64 && data == ELFDATA2LSB)
    return readImage<llvm::object::ELF64LE>(source, options);
  if (fileClass == ELFCLASS64 && data == ELFDATA2MSB)
    return readImage<llvm::object::ELF64BE>(source, options);
  return inputError(source.name(), "unknown ELF class " + hexText(fileClass) +
                                       " or data encoding " + hexText(data));
}

// Opens SOURCE's bytes, compressed with COMPRESSION, as a stream of the decompressed bytes; null
// for a source that is itself decompressed data (one layer is read, never a second).
using DecompressOpener =
    std::function<llvm::Expected<std::unique_ptr<ForwardStream>>(Compression compression)>;

llvm::Expected<std::optional<FileReport>> readSource(const ByteSource &source,
                                                     const ReadOptions &options,
                                                     const DecompressOpener &decompress);

// SOURCE starts with COMPRESSION's magic: the report of its decompressed bytes, under its name.
llvm::Expected<std::optional<FileReport>> readCompressed(const ByteSource &source,
                                                         Compression compression,
                                                         const ReadOptions &options,
                                                         const DecompressOpener &decompress) {
  if (!decompress)
    return inputError(source.name(), std::string("compressed data inside compressed data (") +
                                         compressionName(compression) + ")");
  auto stream = decompress(compression);
  if (!stream)
    return stream.takeError();
  StreamOpener reopen = [&decompress, compression] { return decompress(compression); };
  return readStreamed(std::move(*stream), reopen, [&](const ByteSource &decompressed) {
    return readSource(decompressed, options, nullptr);
  });
}

// Non-ELF inputs are std::nullopt. A compressed input (recognised by its magic, only once the ELF
// magic is not there: a plain file costs nothing more) is read through DECOMPRESS.
llvm::Expected<std::optional<FileReport>> readSource(const ByteSource &source,
                                                     const ReadOptions &options,
                                                     const DecompressOpener &decompress) {
  using namespace llvm::ELF;
  std::vector<std::uint8_t> ident;
  if (!source.holds(4))
    return std::nullopt;
  bool wholeIdent = source.holds(EI_NIDENT);
  if (llvm::Error error = source.read(0, wholeIdent ? EI_NIDENT : 4, ident, "e_ident"))
    return error;
  if (std::memcmp(ident.data(), ElfMagic, 4) != 0) {
    auto compression = compressionOf(
        std::string_view(reinterpret_cast<const char *>(ident.data()), ident.size()));
    if (compression)
      return readCompressed(source, *compression, options, decompress);
    return std::nullopt;
  }
  if (!wholeIdent)
    return inputError(source.name(), "truncated ELF header");
  auto report = readByClass(source, ident[EI_CLASS], ident[EI_DATA], options);
  if (!report)
    return report.takeError();
  return std::optional<FileReport>(std::move(*report));
}

template <typename T> Result<T> toResult(llvm::Expected<T> value) {
  if (!value)
    return Error{llvm::toString(value.takeError())};
  return std::move(*value);
}

} // namespace

llvm::Expected<std::optional<FileReport>> readElfSource(const ByteSource &source) {
  return readSource(source, ReadOptions{}, nullptr);
}

namespace {

// How a file's decompressed bytes are opened, each pass anew.
DecompressOpener decompressFile(const std::string &path) {
  return [path](Compression compression) { return openDecompressedFile(path, compression); };
}

} // namespace
} // namespace detail

static Result<std::optional<FileReport>> readFile(const std::string &path,
                                                  const ReadOptions &options, bool knownRegular) {
  auto source = detail::FileByteSource::open(path, knownRegular);
  if (!source)
    return Error{llvm::toString(source.takeError())};
  return detail::toResult(detail::readSource(**source, options, detail::decompressFile(path)));
}

Result<std::optional<FileReport>> readElfFileIfElf(const std::string &path,
                                                   const ReadOptions &options) {
  return readFile(path, options, /*knownRegular=*/true);
}

Result<FileReport> readElfFile(const std::string &path, const ReadOptions &options) {
  Result<std::optional<FileReport>> report = readFile(path, options, /*knownRegular=*/false);
  if (!report)
    return report.error();
  if (!*report)
    return Error{"'" + path + "': not an ELF file"};
  return std::move(**report);
}

namespace detail {

void readInputBatch(const std::vector<ReadInput> &inputs, FileBatchOpener &opener,
                    const ReadOptions &options, std::vector<ReadOutcome> &out) {
  std::vector<const std::string *> walked;
  for (const ReadInput &input : inputs)
    if (!input.error && input.skipIfNotElf)
      walked.push_back(&input.path);
  std::vector<FileBatchOpener::Opened> opened = opener.open(walked);
  std::size_t next = 0;
  for (const ReadInput &input : inputs) {
    if (input.error) {
      out.push_back(*input.error);
      continue;
    }
    if (!input.skipIfNotElf) {
      Result<FileReport> report = readElfFile(input.path, options);
      out.push_back(report ? ReadOutcome(std::optional<FileReport>(std::move(*report)))
                           : ReadOutcome(report.error()));
      continue;
    }
    FileBatchOpener::Opened &source = opened[next++];
    if (!source) {
      out.push_back(Error{llvm::toString(source.takeError())});
      continue;
    }
    out.push_back(toResult(readSource(**source, options, decompressFile(input.path))));
    opener.close(std::move(*source));
  }
}

} // namespace detail

Result<FileReport> readElfImage(std::string_view bytes, std::string name) {
  detail::MemoryByteSource source(bytes, name);
  auto decompress = [bytes, &name](detail::Compression compression) {
    return detail::openDecompressedMemory(bytes, name, compression);
  };
  ReadOptions options;
  options.lookUpModuleFiles = false;
  Result<std::optional<FileReport>> report =
      detail::toResult(detail::readSource(source, options, decompress));
  if (!report)
    return report.error();
  if (!*report)
    return Error{"'" + name + "': not an ELF file"};
  return std::move(**report);
}

} // namespace pkgnote
