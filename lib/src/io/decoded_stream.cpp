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
  // A failure after bytes were decoded waits until they are handed out, as with libarchive.
  auto fail = [&](llvm::Error error) -> llvm::Expected<std::size_t> {
    if (produced == 0)
      return error;
    deferred_ = std::move(error);
    finished_ = true;
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
      return fail(problem(step.error));
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

llvm::Expected<bool> DecodedStream::nextBlock() {
  if (deferred_)
    return std::move(deferred_);
  if (finished_) {
    if (produced_ == 0)
      return problem("no data, or none that decompresses");
    return false;
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
  setBlock(out_.get(), *size, 0);
  return true;
}

} // namespace pkgnote::detail
