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
// it decodes to nothing). The block an error is met in is not handed out, except for a check
// value's mismatch (stream_codec.h). One layer of
// compression is read: decoded bytes that start with a compression's magic are refused.
class DecodedStream final : public BlockStream {
public:
  DecodedStream(std::string name, Compression compression, std::unique_ptr<StreamCodec> codec,
                ChunkSource source);
  ~DecodedStream() override;

  const std::string &name() const override { return name_; }

  // The next decoded bytes, valid until the next call, empty at the end: the stream as a chunk
  // source (archive_input.h hands them to libarchive's tar reader without a copy). Not to be
  // mixed with read() and skip().
  llvm::Expected<llvm::ArrayRef<std::uint8_t>> nextChunk();

private:
  llvm::Expected<bool> nextBlock() override;
  // Decodes up to SIZE bytes into out_.
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
  llvm::Error deferred_ = llvm::Error::success(); // a check value's mismatch, after its bytes
};

// The decoder of COMPRESSION (gzip, zstd, lz4 or bzip2; not xz) over SOURCE, named NAME; an
// error naming NAME when its library cannot be loaded or set up.
llvm::Expected<std::unique_ptr<DecodedStream>>
openDecoded(const std::string &name, Compression compression, ChunkSource source);

} // namespace pkgnote::detail
