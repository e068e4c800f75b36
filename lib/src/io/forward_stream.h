// SPDX-License-Identifier: MIT
// A byte stream that can only be read forward: what a compressed file is once a decompressor sits
// in front of it, and what a member of a package payload (.rpm's cpio, .deb's data.tar) is while
// libarchive walks the archive. Nothing can be read twice from one stream; a reader that needs a
// byte again either kept it (captured_source.h) or opens the stream anew, when whoever made the
// stream can (a file can, a package member being walked cannot).
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace pkgnote::detail {

// Where a decoder's input comes from: each call returns the next chunk of bytes, valid until the
// following call, and an empty chunk at the end (a file read, a package member's data blocks).
using ChunkSource = std::function<llvm::Expected<llvm::ArrayRef<std::uint8_t>>()>;

class ForwardStream {
public:
  virtual ~ForwardStream() = default;

  // How the input is named in messages (the path as the user gave it, or "PACKAGE: MEMBER").
  virtual const std::string &name() const = 0;
  // Copies up to SIZE bytes into OUT and advances; fewer only at the end of the stream, 0 there.
  // An error (corrupt or truncated data) names the input; the stream is not to be read after it.
  virtual llvm::Expected<std::size_t> read(std::uint8_t *out, std::size_t size) = 0;
  // Advances by up to COUNT bytes without copying them anywhere (a decompressor still has to make
  // them); returns how many were passed, fewer only at the end of the stream.
  virtual llvm::Expected<std::uint64_t> skip(std::uint64_t count) = 0;
  // Bytes read or skipped so far: the offset of the next byte.
  virtual std::uint64_t position() const = 0;
};

} // namespace pkgnote::detail
