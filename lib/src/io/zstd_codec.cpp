// SPDX-License-Identifier: MIT
// zstd through libzstd's streaming decoder, which reads frame after frame (and skips skippable
// frames) by itself. Its default window limit (128 MiB, ZSTD_WINDOWLOG_LIMIT_DEFAULT) is kept:
// a frame asking for more is refused as libarchive's zstd filter refused it.
#include "io/library_loaders.h"
#include "io/stream_codec.h"

#include <zstd.h>

#include <string>

namespace pkgnote::detail {
namespace {

class ZstdCodec final : public StreamCodec {
public:
  ~ZstdCodec() override { ZSTD_freeDStream(stream_); }

  llvm::Error init() {
    stream_ = ZSTD_createDStream();
    if (!stream_) {
      std::string why = libZstdUnavailable();
      return codecError("cannot set up decompression: " + (why.empty() ? "out of memory" : why));
    }
    return llvm::Error::success();
  }

  CodecStep decode(llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out, std::size_t size) override {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    ZSTD_outBuffer output{out, size, 0};
    std::size_t hint = ZSTD_decompressStream(stream_, &output, &input);
    CodecStep step;
    if (ZSTD_isError(hint)) {
      step.error = "zstd decompression failed: " + lowerFirst(hint);
      return step;
    }
    step.consumed = input.pos;
    step.produced = output.pos;
    // 0: a frame ended and every byte of it was flushed.
    step.ended = hint == 0;
    return step;
  }

  // libzstd starts the next frame itself; bytes that are not one are its error to report.
  bool another(std::uint8_t) override { return true; }

private:
  // libzstd's message with libarchive's wording: lowercase first letter, no final period.
  static std::string lowerFirst(std::size_t code) {
    std::string text = ZSTD_getErrorName(code);
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
      text[0] = static_cast<char>(text[0] - 'A' + 'a');
    while (!text.empty() && text.back() == '.')
      text.pop_back();
    return text;
  }

  ZSTD_DStream *stream_ = nullptr;
};

} // namespace

llvm::Expected<std::unique_ptr<StreamCodec>> makeZstdCodec() {
  auto codec = std::make_unique<ZstdCodec>();
  if (auto error = codec->init())
    return error;
  return std::unique_ptr<StreamCodec>(std::move(codec));
}

} // namespace pkgnote::detail
