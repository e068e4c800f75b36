// SPDX-License-Identifier: MIT
// The public readers of elf_reader.h: what an input is (ELF, a core, PE, compressed) is decided here,
// above read/ and core/: the ELF reader (read/elf_bytes.h) gets core/'s module reader as its core
// hook, and a compressed input is read through its decompressed stream (read/streamed_read.h).
#include "pkgnote/elf_reader.h"

#include "core/core_reader.h"
#include "input/read_batch.h"
#include "input/read_source.h"
#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "pe/pe_reader.h"
#include "read/elf_bytes.h"
#include "read/streamed_read.h"

#include <cstring>

namespace pkgnote {
namespace detail {

const CoreHooks &coreHooks() {
  using namespace llvm::object;
  static const CoreHooks hooks{&readCoreModules<ELF32LE>, &readCoreModules<ELF32BE>,
                               &readCoreModules<ELF64LE>, &readCoreModules<ELF64BE>};
  return hooks;
}

namespace {

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

} // namespace

llvm::Expected<std::optional<FileReport>> readSource(const ByteSource &source,
                                                     const ReadOptions &options,
                                                     const DecompressOpener &decompress) {
  auto report = readElfBytes(source, options, &coreHooks());
  if (!report || *report)
    return report;
  // Not ELF: a PE image ("MZ", then "PE\0\0" where e_lfanew points) is told by its headers.
  report = readPeBytes(source);
  if (!report || *report)
    return report;
  // Not ELF: a compressed input is recognised by its magic only now, so a plain file costs
  // nothing more.
  // Sixteen bytes at most: bzip2's magic runs to byte 10 (io/decompress_stream.cpp).
  std::vector<std::uint8_t> head;
  std::uint64_t size = source.holds(16) ? 16 : source.holds(6) ? 6 : 4;
  if (!source.holds(size))
    return std::nullopt;
  if (llvm::Error error = source.read(0, size, head, "magic"))
    return error;
  auto compression =
      compressionOf(std::string_view(reinterpret_cast<const char *>(head.data()), head.size()));
  if (!compression)
    return std::nullopt;
  return readCompressed(source, *compression, options, decompress);
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
    return detail::toPublicError(source.takeError());
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
    return detail::inputProblem(path, "not an ELF file");
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
      out.push_back(toPublicError(source.takeError()));
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
    return detail::inputProblem(name, "not an ELF file");
  return std::move(**report);
}

} // namespace pkgnote
