// SPDX-License-Identifier: MIT
// DecodedStream (decoded_stream.h). The first block is small (a walk that finds a compressed
// file is not ELF pays for 64 KiB of decoding), later ones 256 KiB: large enough that the per-call
// cost vanishes, small enough to stay in the cache on the way to the reader.
#include "io/decoded_stream.h"

#include "io/byte_source.h"

#include <string_view>
#include <system_error>

namespace pkgnote::detail {

namespace {
constexpr std::size_t kFirstBlockBytes = 64 << 10;
constexpr std::size_t kBlockBytes = 256 << 10;
} // namespace

llvm::Error codecError(const llvm::Twine &text) {
  return llvm::createStringError(std::make_error_code(std::errc::invalid_argument), text);
}

DecodedStream::DecodedStream(std::string name, Compression compression,
                             std::unique_ptr<StreamCodec> codec, ChunkSource source)
    : name_(std::move(name)), compression_(compression), codec_(std::move(codec)),
      source_(std::move(source)), out_(new std::uint8_t[kBlockBytes]) {}

DecodedStream::~DecodedStream() { llvm::consumeError(std::move(deferred_)); }

llvm::Error DecodedStream::problem(const llvm::Twine &text) const {
  return inputError(name_, std::string(compressionName(compression_)) + " data: " + text);
}

llvm::Expected<std::size_t> DecodedStream::decodeBlock(std::size_t size) {
  std::size_t produced = 0;
  // A failure drops the block it was met in, as libarchive's filters dropped theirs: a reader
  // is never handed bytes that did not decode. Only a check value's mismatch (CodecStep) comes
  // after the block's bytes.
  auto fail = [&](llvm::Error error, bool afterBytes = false) -> llvm::Expected<std::size_t> {
    finished_ = true;
    if (!afterBytes || produced == 0)
      return error;
    deferred_ = std::move(error);
    return produced;
  };
  while (produced < size) {
    if (input_.empty() && !inputEnded_) {
      auto chunk = source_();
      if (!chunk)
        return fail(chunk.takeError());
      input_ = *chunk;
      inputEnded_ = chunk->empty();
      continue;
    }
    if (atBoundary_) {
      if (input_.empty() || !codec_->another(input_.front())) {
        finished_ = true;
        break;
      }
      atBoundary_ = false;
    }
    CodecStep step = codec_->decode(input_, out_.get() + produced, size - produced);
    input_ = input_.drop_front(step.consumed);
    produced += step.produced;
    if (!step.error.empty())
      return fail(problem(step.error), step.checkFailed);
    if (step.ended) {
      atBoundary_ = true;
      continue;
    }
    // Input left and no progress is the codec's refusal; no input left and no bytes pending in
    // the decoder is a member cut short.
    if (step.consumed == 0 && step.produced == 0) {
      if (inputEnded_)
        return fail(problem(llvm::Twine("truncated ") + compressionName(compression_) + " input"));
      if (!input_.empty())
        return fail(problem("decompression made no progress"));
    }
  }
  return produced;
}

llvm::Expected<llvm::ArrayRef<std::uint8_t>> DecodedStream::nextChunk() {
  if (deferred_)
    return std::move(deferred_);
  if (finished_) {
    if (produced_ == 0)
      return problem("no data, or none that decompresses");
    return llvm::ArrayRef<std::uint8_t>();
  }
  bool first = produced_ == 0;
  auto size = decodeBlock(first ? kFirstBlockBytes : kBlockBytes);
  if (!size)
    return size.takeError();
  if (first && *size > 0) {
    // One layer of compression is read, never a second.
    std::string_view head(reinterpret_cast<const char *>(out_.get()), *size);
    if (auto inner = compressionOf(head))
      return inputError(name_, std::string("compressed data inside compressed data (") +
                                   compressionName(*inner) + " inside " +
                                   compressionName(compression_) + ")");
  }
  produced_ += *size;
  if (*size == 0) // the end came before a byte of this block: ask again for the verdict
    return nextChunk();
  return llvm::ArrayRef<std::uint8_t>(out_.get(), *size);
}

llvm::Expected<std::unique_ptr<DecodedStream>>
openDecoded(const std::string &name, Compression compression, ChunkSource source) {
  auto codec = compression == Compression::Gzip   ? makeGzipCodec()
               : compression == Compression::Zstd ? makeZstdCodec()
               : compression == Compression::Lz4  ? makeLz4Codec()
                                                  : makeBzip2Codec();
  if (!codec)
    return inputError(name, llvm::toString(codec.takeError()));
  return std::make_unique<DecodedStream>(name, compression, std::move(*codec), std::move(source));
}

llvm::Expected<bool> DecodedStream::nextBlock() {
  auto chunk = nextChunk();
  if (!chunk)
    return chunk.takeError();
  setBlock(chunk->data(), chunk->size(), 0);
  return !chunk->empty();
}

} // namespace pkgnote::detail
