// SPDX-License-Identifier: MIT
// bzip2 through libbz2 (each block checked against its CRC). Streams may follow one another
// (pbzip2's output); bytes after a stream that do not start another are ignored, as libarchive's
// bzip2 filter ignores them.
#include "io/library_loaders.h"
#include "io/stream_codec.h"

#include <bzlib.h>

#include <climits>
#include <string>

namespace pkgnote::detail {
namespace {

class Bzip2Codec final : public StreamCodec {
public:
  ~Bzip2Codec() override {
    if (ready_)
      BZ2_bzDecompressEnd(&stream_);
  }

  llvm::Error init() {
    if (BZ2_bzDecompressInit(&stream_, 0, 0) != BZ_OK) {
      std::string why = libBz2Unavailable();
      return codecError("cannot set up decompression: " + (why.empty() ? "out of memory" : why));
    }
    ready_ = true;
    return llvm::Error::success();
  }

  CodecStep decode(llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out, std::size_t size) override {
    stream_.next_in = const_cast<char *>(reinterpret_cast<const char *>(in.data()));
    stream_.avail_in = static_cast<unsigned>(std::min<std::size_t>(in.size(), UINT_MAX));
    stream_.next_out = reinterpret_cast<char *>(out);
    stream_.avail_out = static_cast<unsigned>(std::min<std::size_t>(size, UINT_MAX));
    unsigned inBefore = stream_.avail_in, outBefore = stream_.avail_out;
    int status = BZ2_bzDecompress(&stream_);
    CodecStep step;
    step.consumed = inBefore - stream_.avail_in;
    step.produced = outBefore - stream_.avail_out;
    if (status == BZ_STREAM_END)
      step.ended = true;
    else if (status != BZ_OK)
      step.error = "bzip decompression failed";
    return step;
  }

  bool another(std::uint8_t next) override {
    if (next != 'B')
      return false;
    // libbz2 has no reset: the next stream gets a fresh decoder.
    BZ2_bzDecompressEnd(&stream_);
    stream_ = bz_stream{};
    ready_ = BZ2_bzDecompressInit(&stream_, 0, 0) == BZ_OK;
    return ready_;
  }

private:
  bz_stream stream_{};
  bool ready_ = false;
};

} // namespace

llvm::Expected<std::unique_ptr<StreamCodec>> makeBzip2Codec() {
  auto codec = std::make_unique<Bzip2Codec>();
  if (auto error = codec->init())
    return error;
  return std::unique_ptr<StreamCodec>(std::move(codec));
}

} // namespace pkgnote::detail
