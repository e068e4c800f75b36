// SPDX-License-Identifier: MIT
// Small glue between the two shapes bytes arrive in (forward_stream.h): a ForwardStream read in
// the caller's buffer, and a ChunkSource handing out the decoder's. A package member, stdin and
// an image layer nested in an image archive are all read through them, forward, once.
#pragma once

#include "io/forward_stream.h"

#include <memory>
#include <string>

namespace pkgnote::detail {

// HEAD (bytes already read from REST to tell what the input is), then the rest of REST. A failure
// of REST sets RESTFAILED: it is the container's (payload, image), not the member's.
class HeadThenStream final : public ForwardStream {
public:
  HeadThenStream(std::string head, ForwardStream &rest, bool &restFailed)
      : head_(std::move(head)), rest_(rest), restFailed_(restFailed) {}

  const std::string &name() const override { return rest_.name(); }
  llvm::Expected<std::size_t> read(std::uint8_t *out, std::size_t size) override;
  llvm::Expected<std::uint64_t> skip(std::uint64_t count) override;
  std::uint64_t position() const override { return position_; }

private:
  template <class T> llvm::Expected<T> noteFailure(llvm::Expected<T> value) {
    if (!value)
      restFailed_ = true;
    return value;
  }

  std::string head_;
  ForwardStream &rest_;
  bool &restFailed_;
  std::uint64_t position_ = 0;
};

// Up to SIZE bytes from the start of STREAM (fewer when it is shorter).
llvm::Expected<std::string> readHead(ForwardStream &stream, std::size_t size);

// STREAM's bytes as chunks of a buffer of the source's own; STREAM must outlive the source.
ChunkSource chunksOf(ForwardStream &stream);

// HEAD, then chunks of REST.
ChunkSource headThenChunks(std::string head, ChunkSource rest);

// The descriptor FD read to its end (stdin: a pipe or a file, never seeked), named NAME.
ChunkSource descriptorChunks(int fd, std::string name);

// The bytes SOURCE hands out as a forward stream named NAME.
std::unique_ptr<ForwardStream> streamOfChunks(std::string name, ChunkSource source);

// STREAM, owned, over chunks SOURCE (a decompressor's input), keeping what SOURCE needs alive.
std::unique_ptr<ForwardStream> keepingAlive(std::unique_ptr<ForwardStream> stream,
                                            std::shared_ptr<void> alive);

} // namespace pkgnote::detail
