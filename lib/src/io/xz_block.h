// SPDX-License-Identifier: MIT
// One block of an .xz stream as XzDecoder (xz_decoder.h) handles it: its header as liblzma decodes
// it, the liblzma block decoder that travels with it from the worker to the caller's thread, and
// the decoding steps both threads run. Only liblzma's public API is used.
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <lzma.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pkgnote::detail {

// What RET means, as the end of a message ("corrupt data", "truncated", ...); NEEDED and LIMIT
// are the memory a block needs and the limit, for LZMA_MEMLIMIT_ERROR.
std::string xzProblem(lzma_ret ret, std::uint64_t needed, std::uint64_t limit);

// One liblzma block decoder; its dictionary stays allocated from block to block.
struct XzBlockDecoder {
  lzma_stream stream = LZMA_STREAM_INIT;
  XzBlockDecoder() = default;
  XzBlockDecoder(const XzBlockDecoder &) = delete;
  XzBlockDecoder &operator=(const XzBlockDecoder &) = delete;
  ~XzBlockDecoder() { lzma_end(&stream); }
};

// A block: its header (liblzma decodes it into OPTIONS and FILTERS), where it is, and what has
// been done with it; owned by the caller's thread except while the worker decodes it ahead.
struct XzBlock {
  std::uint64_t number = 0; // 1-based over the whole input, for messages
  std::uint64_t offset = 0; // of its header in the input
  lzma_block options{};     // liblzma's block decoder writes the final sizes back here
  lzma_filter filters[LZMA_FILTERS_MAX + 1];
  std::uint64_t memusage = 0;
  std::unique_ptr<XzBlockDecoder> decoder;
  std::uint64_t bodyStart = 0; // offset in the input of the byte after the header
  bool buffered = false;       // BODY holds the rest of the block: the decoder reads only it
  bool truncated = false;      // the input ended before the block did: BODY is short
  std::vector<std::uint8_t> body;
  std::size_t bodyUsed = 0;
  std::size_t ahead = 0; // bytes the worker decoded into the ahead buffer
  bool aheadTaken = false;
  lzma_ret aheadStatus = LZMA_OK; // how the worker stopped: OK (half done), STREAM_END, an error

  XzBlock() { filters[0].id = LZMA_VLI_UNKNOWN; }
  XzBlock(const XzBlock &) = delete;
  XzBlock &operator=(const XzBlock &) = delete;
  ~XzBlock() { lzma_filters_free(filters, nullptr); }

  bool sized() const {
    return options.compressed_size != LZMA_VLI_UNKNOWN &&
           options.uncompressed_size != LZMA_VLI_UNKNOWN;
  }
  // The bytes after the header: compressed data, padding, check (sized blocks only).
  std::uint64_t bodyBytes() const { return lzma_block_total_size(&options) - options.header_size; }
};

// Runs S over IN into OUT until OUT is full, the block ends or fails, or nothing moves: IN is
// used up and the decoder has nothing left to flush (LZMA_OK with OUT not full: it needs input).
// USED and PRODUCED say how far IN and OUT went.
lzma_ret decodeXz(lzma_stream &s, llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out,
                  std::size_t size, std::size_t &used, std::size_t &produced);

// The worker's job: BLOCK's first TARGET bytes into OUT, from its buffered body; sets bodyUsed,
// ahead and aheadStatus.
void decodeAhead(XzBlock &block, std::uint8_t *out, std::size_t target);

} // namespace pkgnote::detail
