// SPDX-License-Identifier: MIT
// A forward stream of the bytes a StreamCodec (stream_codec.h) decodes from a chunk source: one
// compressed file, core or stdin, in bounded memory (the codec's window and one output block).
#pragma once

#include "io/decompress_stream.h"
#include "io/stream_codec.h"

#include <memory>
#include <string>

namespace pkgnote::detail {

// Errors read "'NAME': WHAT: PROBLEM" (WHAT e.g. "gzip data"; PROBLEM the codec's, "truncated
// gzip input" when the input ends inside a member, or "no data, or none that decompresses" when
// it decodes to nothing). Bytes decoded before an error are handed out before it. One layer of
// compression is read: decoded bytes that start with a compression's magic are refused.
class DecodedStream final : public BlockStream {
public:
  DecodedStream(std::string name, Compression compression, std::unique_ptr<StreamCodec> codec,
                ChunkSource source);
  ~DecodedStream() override;

  const std::string &name() const override { return name_; }

private:
  llvm::Expected<bool> nextBlock() override;
  // Decodes up to SIZE bytes into out_; an error met after some bytes is kept in deferred_.
  llvm::Expected<std::size_t> decodeBlock(std::size_t size);
  llvm::Error problem(const llvm::Twine &text) const;

  std::string name_;
  Compression compression_;
  std::unique_ptr<StreamCodec> codec_;
  ChunkSource source_;
  llvm::ArrayRef<std::uint8_t> input_;
  bool inputEnded_ = false;
  bool atBoundary_ = false; // a member ended and nothing of another was taken yet
  bool finished_ = false;
  std::uint64_t produced_ = 0;
  std::unique_ptr<std::uint8_t[]> out_;
  llvm::Error deferred_ = llvm::Error::success();
};

} // namespace pkgnote::detail
