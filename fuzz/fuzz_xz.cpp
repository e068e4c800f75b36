// SPDX-License-Identifier: MIT
// Fuzzes the XzDecoder (lib/src/io/xz_decoder.h) against liblzma's own single-threaded decoder on
// the same bytes: both must succeed or fail together, the XzDecoder's output must be liblzma's
// (or, when both fail, a prefix of it), and its message must not depend on how the input is
// chunked. Seeds are small xz files in many forms (fuzz/seeds/fuzz_xz, fuzz/make-xz-seeds.sh), with
// blocks of 1 KiB that the worker decodes ahead.
#include "fuzz_check.h"

#include "io/xz_decoder.h"

#include <lzma.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace pkgnote;

namespace {

// Output past this is not compared, on either side: it keeps one execution cheap even for an
// input that declares gigabytes.
constexpr std::size_t kMaxOut = 1 << 20;
// Both decoders refuse dictionaries beyond this. The two count memory differently (the XzDecoder
// one block's filters, liblzma its whole decoder), so an input near the limit is not compared.
constexpr std::uint64_t kMemlimit = 64 << 20;

struct Decoded {
  std::vector<std::uint8_t> out;
  bool ok = false;
  bool memory = false; // refused for its memory: not compared
  std::string error;
};

// liblzma's verdict, with libarchive's flags (an unknown check type is skipped, not refused).
Decoded oracle(const std::uint8_t *data, std::size_t size) {
  Decoded result;
  lzma_stream stream = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&stream, kMemlimit + (1 << 20), LZMA_CONCATENATED) != LZMA_OK)
    std::abort();
  stream.next_in = data;
  stream.avail_in = size;
  static std::uint8_t buffer[65536];
  lzma_ret ret;
  do {
    stream.next_out = buffer;
    stream.avail_out = sizeof buffer;
    ret = lzma_code(&stream, LZMA_FINISH);
    result.out.insert(result.out.end(), buffer, buffer + (sizeof buffer - stream.avail_out));
  } while (ret == LZMA_OK && result.out.size() < kMaxOut);
  lzma_end(&stream);
  result.ok = ret == LZMA_STREAM_END;
  result.memory = ret == LZMA_MEMLIMIT_ERROR || ret == LZMA_MEM_ERROR;
  return result;
}

// The XzDecoder's verdict, the input handed out in chunks of the sizes STEP gives in turn.
template <class Step> Decoded xzDecoder(const std::uint8_t *data, std::size_t size, Step step) {
  Decoded result;
  std::size_t at = 0;
  std::vector<std::uint8_t> chunk;
  auto source = [&]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    // A fresh copy each time: a decoder that keeps a chunk past the next call reads freed memory.
    std::size_t n = std::min(step(), size - at);
    std::vector<std::uint8_t>(data + at, data + at + n).swap(chunk);
    at += n;
    return llvm::ArrayRef<std::uint8_t>(chunk);
  };
  detail::XzDecoderLimits limits;
  limits.memlimit = kMemlimit;
  limits.aheadBudget = 8 << 20;
  limits.decodeAhead = true;
  detail::XzDecoder decoder("fuzz.xz", source, limits);
  while (result.out.size() < kMaxOut) {
    auto got = decoder.next();
    if (!got) {
      result.error = llvm::toString(got.takeError());
      FUZZ_CHECK(result.error.rfind("'fuzz.xz': ", 0) == 0);
      FUZZ_CHECK(result.error.find('\n') == std::string::npos);
      result.memory = result.error.find(" of memory") != std::string::npos;
      return result;
    }
    if (got->empty()) {
      result.ok = true;
      return result;
    }
    result.out.insert(result.out.end(), got->begin(), got->end());
  }
  return result;
}

// XZ against liblzma's ORACLE, outputs compared up to kMaxOut.
void compare(const Decoded &xz, const Decoded &oracle) {
  std::size_t common = std::min(xz.out.size(), oracle.out.size());
  FUZZ_CHECK(std::equal(xz.out.begin(), xz.out.begin() + common, oracle.out.begin()));
  if (xz.memory || oracle.memory)
    return;
  bool xzEnded = xz.out.size() < kMaxOut, oracleEnded = oracle.out.size() < kMaxOut;
  if (xzEnded && oracleEnded) {
    FUZZ_CHECK(xz.ok == oracle.ok);
    // A success is all of liblzma's output; a failure may have handed out less.
    FUZZ_CHECK(xz.ok ? xz.out.size() == oracle.out.size() : xz.out.size() <= oracle.out.size());
  } else if (xzEnded) {
    FUZZ_CHECK(!xz.ok); // liblzma went on past kMaxOut
  } else if (oracleEnded) {
    FUZZ_CHECK(false); // the XzDecoder handed out more than liblzma
  }
}

void putCrc32(std::uint8_t *data, std::size_t at, std::size_t from, std::size_t size) {
  std::uint32_t crc = lzma_crc32(data + from, size, 0);
  for (int i = 0; i < 4; ++i)
    data[at + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

// Rewrites the CRC32s of the stream header, of each block header it can walk to (while headers
// give the sizes), of the index and of the footer of the first stream, so that most mutations get
// past the headers into block data, the scheduling of blocks and the index checks instead of
// failing at the first CRC. Check fields of block data are left: only decoding could fix them.
void repairCrcs(std::uint8_t *data, std::size_t size) {
  if (size < 2 * LZMA_STREAM_HEADER_SIZE)
    return;
  putCrc32(data, 8, 6, 2);
  std::size_t at = LZMA_STREAM_HEADER_SIZE;
  lzma_stream_flags flags{};
  if (lzma_stream_header_decode(&flags, data) != LZMA_OK)
    return;
  std::size_t footer = size - LZMA_STREAM_HEADER_SIZE;
  while (at < footer && data[at] != 0x00) {
    std::size_t headerSize = lzma_block_header_size_decode(data[at]);
    if (at + headerSize > footer)
      return;
    putCrc32(data, at + headerSize - 4, at, headerSize - 4);
    lzma_filter filters[LZMA_FILTERS_MAX + 1];
    lzma_block block{};
    block.version = 1;
    block.header_size = static_cast<std::uint32_t>(headerSize);
    block.check = flags.check;
    block.filters = filters;
    if (lzma_block_header_decode(&block, nullptr, data + at) != LZMA_OK)
      return;
    lzma_filters_free(filters, nullptr);
    lzma_vli total = lzma_block_total_size(&block);
    if (block.compressed_size == LZMA_VLI_UNKNOWN || total == 0 || total > footer - at)
      return;
    at += total;
  }
  // The index runs from AT to the footer; its CRC32 is its last 4 bytes.
  if (at + 8 <= footer && data[at] == 0x00 && data[size - 2] == 'Y' && data[size - 1] == 'Z') {
    putCrc32(data, footer - 4, at, footer - 4 - at);
    putCrc32(data, footer, footer + 4, 6);
  }
}

} // namespace

// libFuzzer's own mutation, then the CRCs made right again (repairCrcs); with the seeds being
// valid files, most executions then decode blocks rather than stop at a header.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t *data, std::size_t size, std::size_t maxSize);
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t *data, std::size_t size,
                                               std::size_t maxSize, unsigned int seed) {
  std::size_t mutated = LLVMFuzzerMutate(data, size, maxSize);
  if (seed % 4 != 0) // a quarter left as mutated: bad CRCs must be found too
    repairCrcs(data, mutated);
  return mutated;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  Decoded expected = oracle(data, size);
  Decoded whole = xzDecoder(data, size, [] { return SIZE_MAX; });
  compare(whole, expected);
  // Chunk sizes from 1 to 64 in a sequence the input's last bytes choose, so that chunk edges
  // fall inside headers, checks and the index.
  std::uint32_t state = 0x9E3779B9u ^ static_cast<std::uint32_t>(size);
  for (std::size_t i = size > 8 ? size - 8 : 0; i < size; ++i)
    state = state * 31 + data[i];
  Decoded chunked = xzDecoder(data, size, [&] {
    state = state * 1103515245u + 12345u;
    return std::size_t{1} + (state >> 16) % 64;
  });
  compare(chunked, expected);
  if (whole.out.size() < kMaxOut && chunked.out.size() < kMaxOut)
    FUZZ_CHECK(whole.error == chunked.error);
  return 0;
}
