// SPDX-License-Identifier: MIT
// Fuzzes the compressed path of the reader: inputs that start with a zstd, xz, lz4, gzip or bzip2
// magic go through their decoders (io/stream_codec.h, xz_decoder.h) and the pass driver
// (read/streamed_read.h). Seeds are small compressed ELF files and cores. Beyond never crashing,
// hanging or allocating without bound: whenever the input decompresses whole (within 64 KiB,
// without error, to something not itself compressed), the streamed read reports exactly what a
// read of the decompressed bytes reports, error messages included: the passes must be invisible.
#include "fuzz_check.h"

#include "io/decompress_stream.h"
#include "pkgnote/elf_reader.h"
#include "pkgnote/elf_report.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace pkgnote;

// The whole decompressed data, or false when it fails or exceeds LIMIT bytes.
static bool decompressWhole(std::string_view bytes, detail::Compression compression,
                            std::string &out) {
  constexpr std::size_t kLimit = 64 << 10;
  auto stream = detail::openDecompressedMemory(bytes, "fuzz-input", compression);
  if (!stream) {
    llvm::consumeError(stream.takeError());
    return false;
  }
  out.resize(kLimit + 1);
  auto got = (*stream)->read(reinterpret_cast<std::uint8_t *>(out.data()), out.size());
  if (!got) {
    llvm::consumeError(got.takeError());
    return false;
  }
  if (*got > kLimit)
    return false;
  out.resize(*got);
  return true;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  auto compression = detail::compressionOf(bytes);
  if (!compression)
    return 0;
  auto report = readElfImage(bytes, "fuzz-input");
  if (report)
    FUZZ_CHECK(report->path == "fuzz-input");
  else
    FUZZ_CHECK(!report.error().message.empty() &&
               report.error().message.find('\n') == std::string::npos);

  std::string plain;
  if (!decompressWhole(bytes, *compression, plain) || detail::compressionOf(plain))
    return 0;
  auto expected = readElfImage(plain, "fuzz-input");
  FUZZ_CHECK(bool(report) == bool(expected));
  if (!report) {
    FUZZ_CHECK(report.error().message == expected.error().message);
    return 0;
  }
  FUZZ_CHECK(reportToJson(*report) == reportToJson(*expected));
  return 0;
}
