// SPDX-License-Identifier: MIT
// lz4's frame format through liblz4's LZ4F decoder (block and content checksums checked when the
// frame has them). Frames may follow one another; bytes after a frame that are neither a frame
// nor a skippable frame are ignored, as libarchive's lz4 filter ignores them.
#include "io/library_loaders.h"
#include "io/stream_codec.h"

#include <lz4frame.h>

#include <cstring>
#include <string>

namespace pkgnote::detail {
namespace {

class Lz4Codec final : public StreamCodec {
public:
  ~Lz4Codec() override { LZ4F_freeDecompressionContext(context_); }

  llvm::Error init() {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION)) || !context_) {
      context_ = nullptr;
      std::string why = libLz4Unavailable();
      return codecError("cannot set up decompression: " + (why.empty() ? "out of memory" : why));
    }
    return llvm::Error::success();
  }

  CodecStep decode(llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out, std::size_t size) override {
    std::size_t outSize = size, inSize = in.size();
    std::size_t hint = LZ4F_decompress(context_, out, &outSize, in.data(), &inSize, nullptr);
    // One wording for every refusal, libarchive's: liblz4's names are identifiers.
    CodecStep step;
    if (LZ4F_isError(hint)) {
      step.error = "malformed lz4 data";
      return step;
    }
    step.consumed = inSize;
    step.produced = outSize;
    step.ended = hint == 0; // the frame ended and the context is ready for the next one
    return step;
  }

  // The first byte of a frame's or a skippable frame's magic (04 22 4D 18, 5x 2A 4D 18).
  bool another(std::uint8_t next) override { return next == 0x04 || (next & 0xf0) == 0x50; }

private:
  LZ4F_dctx *context_ = nullptr;
};

} // namespace

llvm::Expected<std::unique_ptr<StreamCodec>> makeLz4Codec() {
  auto codec = std::make_unique<Lz4Codec>();
  if (auto error = codec->init())
    return error;
  return std::unique_ptr<StreamCodec>(std::move(codec));
}

} // namespace pkgnote::detail
