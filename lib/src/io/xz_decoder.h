// SPDX-License-Identifier: MIT
// xz data decoded on two cores within a fixed memory budget. Debian's libarchive (3.6) decodes xz
// on one thread, so reading a .deb's data.tar.xz took 1.5-1.8x the time of `dpkg-deb
// --fsys-tarfile`, which uses liblzma's threaded decoder. That decoder cannot help within 64 MiB:
// each of its threads holds a whole block's output (24 MiB for Debian's packages) beside its
// dictionary, and it needs ~80 MiB before it runs two (measured on qemu-user-static's data.tar.xz:
// 4.5 s at a 64 MiB limit, 2.5 s at 80 MiB).
//
// Here the block being consumed is decoded on the caller's thread straight into small chunks, and
// a worker decodes the first half of the next block ahead into one buffer. With blocks of equal
// size both cores stay busy (the worker's half takes as long as the caller's remaining half), and
// the memory is two dictionaries, half a block and the compressed blocks: ~35 MiB for 24 MiB
// blocks. Everything xz-specific is liblzma's (stream and block headers, the block decoder with
// its integrity check, the index and footer checks); only the walk from block to block and the
// scheduling are written here. A block whose header does not give its sizes (single-threaded xz
// writes none) or that does not fit the budget is decoded on the caller's thread alone.
#pragma once

#include "io/forward_stream.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace pkgnote::detail {

struct XzDecoderLimits {
  // The dictionaries of one block's filters (lzma_raw_decoder_memusage); more is refused as
  // libarchive's xz filter refuses it (it passes 1 GiB to liblzma).
  std::uint64_t memlimit = std::uint64_t{1} << 30;
  // What the block being consumed and the one decoded ahead of it may hold together: both
  // dictionaries, both blocks' compressed bytes and the decoded half. A block that would need
  // more is decoded after the one before it, not beside it.
  std::uint64_t aheadBudget = 48u << 20;
  // Whether a worker thread decodes ahead at all (false on a machine with one core).
  bool decodeAhead = true;
};

// The limits for this machine: decodeAhead when it has two cores or more.
XzDecoderLimits defaultXzDecoderLimits();

// True when HEAD starts with the xz stream header magic (FD 37 7A 58 5A 00).
bool isXz(llvm::ArrayRef<std::uint8_t> head);

class XzDecoder {
public:
  // The compressed bytes, in order (forward_stream.h). Its errors are passed on unchanged.
  using Source = ChunkSource;

  // NAME is how the input is named in messages: "'NAME': xz data: PART at byte OFFSET: PROBLEM",
  // PART "stream header", "block N" (counted over the whole input), "index", "stream footer" or
  // "stream padding"; PROBLEM "corrupt data", "truncated", "not xz data", ...
  XzDecoder(std::string name, Source source, XzDecoderLimits limits = defaultXzDecoderLimits());
  ~XzDecoder();
  XzDecoder(const XzDecoder &) = delete;
  XzDecoder &operator=(const XzDecoder &) = delete;

  // The next decompressed bytes, valid until the next call; empty once every stream (xz streams
  // may be concatenated, with stream padding between them) has ended and its index and footer
  // have been checked. After an error the decoder is not to be called again.
  llvm::Expected<llvm::ArrayRef<std::uint8_t>> next();

  // Blocks whose first half a worker decoded ahead (tests and benchmarks check it is used).
  std::uint64_t blocksDecodedAhead() const;

  struct State;

private:
  std::unique_ptr<State> state_;
};

} // namespace pkgnote::detail
