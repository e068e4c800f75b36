// SPDX-License-Identifier: MIT
// gzip through zlib's inflate (RFC 1952 members, each checked against its CRC-32 and length),
// where ISA-L's faster inflate (isal_gzip_codec.cpp) cannot be loaded.
// Members may follow one another (`cat a.gz b.gz`, pigz's output); bytes after a member that do
// not start another are ignored, as libarchive's gzip filter ignores them.
#include "io/library_loaders.h"
#include "io/stream_codec.h"

#include <zlib.h>

#include <climits>
#include <string>

namespace pkgnote::detail {
namespace {

class GzipCodec final : public StreamCodec {
public:
  ~GzipCodec() override {
    if (ready_)
      inflateEnd(&stream_);
  }

  llvm::Error init() {
    // 16 + 15: a gzip header and trailer around a deflate stream with a window of up to 32 KiB.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) {
      std::string why = libZUnavailable();
      return codecError("cannot set up decompression: " + (why.empty() ? "out of memory" : why));
    }
    ready_ = true;
    return llvm::Error::success();
  }

  CodecStep decode(llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out, std::size_t size) override {
    stream_.next_in = const_cast<Bytef *>(in.data());
    stream_.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT_MAX));
    stream_.next_out = out;
    stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(size, UINT_MAX));
    uInt inBefore = stream_.avail_in, outBefore = stream_.avail_out;
    int status = inflate(&stream_, Z_NO_FLUSH);
    CodecStep step;
    step.consumed = inBefore - stream_.avail_in;
    step.produced = outBefore - stream_.avail_out;
    if (status == Z_STREAM_END) {
      step.ended = true;
      return step;
    }
    // Z_BUF_ERROR: no progress was possible (no input left); the caller tells a cut member.
    // zlib's reason after libarchive's wording. A member whose CRC-32 or length does not match
    // fails here ("incorrect data check"); libarchive's filter did not check them.
    if (status != Z_OK && status != Z_BUF_ERROR) {
      std::string reason = stream_.msg ? stream_.msg : "";
      step.error = "gzip decompression failed" + (reason.empty() ? "" : ": " + reason);
      step.checkFailed = reason == "incorrect data check" || reason == "incorrect length check";
    }
    return step;
  }

  bool another(std::uint8_t next) override {
    if (next != 0x1f)
      return false;
    return inflateReset(&stream_) == Z_OK;
  }

private:
  z_stream stream_{};
  bool ready_ = false;
};

} // namespace

llvm::Expected<std::unique_ptr<StreamCodec>> makeZlibGzipCodec() {
  auto codec = std::make_unique<GzipCodec>();
  if (auto error = codec->init())
    return error;
  return std::unique_ptr<StreamCodec>(std::move(codec));
}

llvm::Expected<std::unique_ptr<StreamCodec>> makeGzipCodec() {
  if (auto isal = makeIsalGzipCodec())
    return isal;
  return makeZlibGzipCodec();
}

} // namespace pkgnote::detail
