// SPDX-License-Identifier: MIT
// xz_block.h: messages and the decoding steps over one block.
#include "io/xz_block.h"

#include "io/library_loaders.h"

namespace pkgnote::detail {

std::string xzProblem(lzma_ret ret, std::uint64_t needed, std::uint64_t limit) {
  switch (ret) {
  case LZMA_FORMAT_ERROR:
    return "not xz data";
  case LZMA_OPTIONS_ERROR:
    return "unsupported options";
  case LZMA_DATA_ERROR:
    return "corrupt data";
  case LZMA_BUF_ERROR:
    return "truncated";
  case LZMA_MEM_ERROR:
    return "out of memory";
  case LZMA_MEMLIMIT_ERROR:
    return "needs " + std::to_string((needed + (1 << 20) - 1) >> 20) +
           " MiB of memory, more than the " + std::to_string(limit >> 20) + " MiB allowed";
  case LZMA_UNSUPPORTED_CHECK:
    return "unsupported integrity check";
  case LZMA_PROG_ERROR:
    // Also what every liblzma function returns when the library could not be loaded.
    if (std::string missing = libLzmaUnavailable(); !missing.empty())
      return missing;
    [[fallthrough]];
  default:
    return "internal error in liblzma (" + std::to_string(static_cast<int>(ret)) + ")";
  }
}

lzma_ret decodeXz(lzma_stream &s, llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out,
                  std::size_t size, std::size_t &used, std::size_t &produced) {
  s.next_in = in.data();
  s.avail_in = in.size();
  s.next_out = out;
  s.avail_out = size;
  lzma_ret ret;
  do {
    std::size_t inBefore = s.avail_in, outBefore = s.avail_out;
    ret = lzma_code(&s, LZMA_RUN);
    if (ret == LZMA_OK && s.avail_in == inBefore && s.avail_out == outBefore)
      break;
  } while (ret == LZMA_OK && s.avail_out > 0);
  used = in.size() - s.avail_in;
  produced = size - s.avail_out;
  return ret;
}

void decodeAhead(XzBlock &block, std::uint8_t *out, std::size_t target) {
  block.aheadStatus =
      decodeXz(block.decoder->stream, block.body, out, target, block.bodyUsed, block.ahead);
  // The whole body used and neither the end nor an error: the block is longer than its header
  // says (liblzma's own checks nearly always say so first).
  if (block.aheadStatus == LZMA_OK && block.ahead < target)
    block.aheadStatus = LZMA_DATA_ERROR;
}

} // namespace pkgnote::detail
