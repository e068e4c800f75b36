// SPDX-License-Identifier: MIT
// gzip through ISA-L's igzip inflate, which decodes with the CPU's vector instructions:
// 0.5x zlib's time on a layer of this machine's libraries (docs/images.md). It parses the gzip
// header and checks each member's CRC-32 and length itself (crc_flag ISAL_GZIP), in a state of
// fixed size (its 32 KiB window and tables). Members follow one another as with zlib
// (gzip_codec.cpp), which stays the decoder where libisal is missing (a static build, an
// architecture Debian does not build it for).
#include "io/library_loaders.h"
#include "io/stream_codec.h"

#ifndef PKGNOTE_LIBISAL_SONAME

std::unique_ptr<pkgnote::detail::StreamCodec> pkgnote::detail::makeIsalGzipCodec() {
  return nullptr;
}

#else

#include <isa-l/igzip_lib.h>

#include <climits>
#include <string>

namespace pkgnote::detail {
namespace {

// zlib's words for the same faults, so that a message does not depend on the decoder.
const char *isalProblem(int status) {
  switch (status) {
  case ISAL_INVALID_BLOCK:
    return "invalid block type";
  case ISAL_INVALID_SYMBOL:
    return "invalid code";
  case ISAL_INVALID_LOOKBACK:
    return "invalid distance too far back";
  case ISAL_INVALID_WRAPPER:
    return "incorrect header check";
  case ISAL_UNSUPPORTED_METHOD:
    return "unknown compression method";
  case ISAL_INCORRECT_CHECKSUM:
    return "incorrect data check";
  default:
    return "invalid data";
  }
}

class IsalGzipCodec final : public StreamCodec {
public:
  IsalGzipCodec() { start(); }

  CodecStep decode(llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out, std::size_t size) override {
    state_.next_in = const_cast<std::uint8_t *>(in.data());
    state_.avail_in = static_cast<std::uint32_t>(std::min<std::size_t>(in.size(), UINT32_MAX));
    state_.next_out = out;
    state_.avail_out = static_cast<std::uint32_t>(std::min<std::size_t>(size, UINT32_MAX));
    std::uint32_t inBefore = state_.avail_in, outBefore = state_.avail_out;
    int status = isal_inflate(&state_);
    CodecStep step;
    step.consumed = inBefore - state_.avail_in;
    step.produced = outBefore - state_.avail_out;
    if (status < 0) {
      step.error = std::string("gzip decompression failed: ") + isalProblem(status);
      step.checkFailed = status == ISAL_INCORRECT_CHECKSUM;
    } else
      step.ended = state_.block_state == ISAL_BLOCK_FINISH;
    return step;
  }

  bool another(std::uint8_t next) override {
    if (next != 0x1f)
      return false;
    start();
    return true;
  }

private:
  void start() {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
  }

  struct inflate_state state_;
};

} // namespace

std::unique_ptr<StreamCodec> makeIsalGzipCodec() {
  if (!libIsalUnavailable().empty())
    return nullptr;
  return std::make_unique<IsalGzipCodec>();
}

} // namespace pkgnote::detail

#endif // PKGNOTE_LIBISAL_SONAME
