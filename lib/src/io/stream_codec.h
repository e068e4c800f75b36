// SPDX-License-Identifier: MIT
// One compression's decoder, as its own library offers it (ISA-L or zlib, libzstd, liblz4's frame
// API, libbz2), behind one small interface that DecodedStream (decoded_stream.h) drives: bytes in,
// bytes out, and where one member or frame ends. Each library is loaded on first use
// (library_loaders.h); nothing here decodes a byte itself. xz has its own decoder (xz_decoder.h),
// which decodes two blocks at a time.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace pkgnote::detail {

struct CodecStep {
  std::size_t consumed = 0; // input bytes taken
  std::size_t produced = 0; // output bytes written
  bool ended = false;       // a member or frame ended with the last byte taken
  // Set when the data is refused: the end of the input's message, as libarchive worded it
  // ("gzip decompression failed").
  std::string error;
  // The error is a member's check value (CRC-32, length) not matching bytes that all decoded:
  // they are handed out before it, as libarchive, which did not check, handed them out.
  bool checkFailed = false;
};

class StreamCodec {
public:
  virtual ~StreamCodec() = default;
  // Decodes what it can of IN into OUT (SIZE bytes, SIZE > 0).
  virtual CodecStep decode(llvm::ArrayRef<std::uint8_t> in, std::uint8_t *out,
                           std::size_t size) = 0;
  // After a member or frame ended and more bytes follow, NEXT the first of them: whether they
  // start another member (true: the decoder is ready for it) or are trailing bytes that are not
  // this compression's and are ignored (false), as libarchive's filters ignore them.
  virtual bool another(std::uint8_t next) = 0;
};

// The decoders; an error when the library cannot be loaded or set up.
// gzip: ISA-L's inflate where libisal loads (null otherwise), zlib's where it does not.
llvm::Expected<std::unique_ptr<StreamCodec>> makeGzipCodec();
std::unique_ptr<StreamCodec> makeIsalGzipCodec();
llvm::Expected<std::unique_ptr<StreamCodec>> makeZlibGzipCodec();
llvm::Expected<std::unique_ptr<StreamCodec>> makeZstdCodec();
llvm::Expected<std::unique_ptr<StreamCodec>> makeLz4Codec();
llvm::Expected<std::unique_ptr<StreamCodec>> makeBzip2Codec();

// An error whose message is TEXT, for a codec.
llvm::Error codecError(const llvm::Twine &text);

} // namespace pkgnote::detail
