// SPDX-License-Identifier: MIT
// Compressed inputs as forward streams of their decompressed bytes, each compression through its
// own library, loaded on first use: zlib, libzstd, liblz4 (frame format) and libbz2 behind
// DecodedStream (decoded_stream.h), xz through liblzma and XzDecoder (xz_decoder.h), which decodes
// two blocks at a time. libarchive (and with it libxml2 and ICU) is left to archives: a package's
// member is read through ArchiveDataStream over the caller's archive. No decoder is written here,
// no external program is ever run, and nothing is written anywhere: bytes go from the decoders'
// buffers to the caller's.
#pragma once

#include "io/forward_stream.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct archive;

namespace pkgnote::detail {

enum class Compression { Zstd, Xz, Lz4, Gzip, Bzip2 };

// The compression whose magic bytes HEAD starts with (the first 10 bytes are enough), or none.
// Recognised by content only: a file name says nothing (systemd names cores *.zst, but a renamed
// or plain core is read as what it is).
std::optional<Compression> compressionOf(std::string_view head);
// "zstd", "xz", "lz4", "gzip", "bzip2".
const char *compressionName(Compression compression);

// A forward stream over blocks of bytes that a decoder hands out one at a time, each valid until
// the next, with zeros owed before a block for a sparse entry's gap: read() and skip() walk them.
// A subclass says how the next block comes (nextBlock).
class BlockStream : public ForwardStream {
public:
  llvm::Expected<std::size_t> read(std::uint8_t *out, std::size_t size) override;
  llvm::Expected<std::uint64_t> skip(std::uint64_t count) override;
  std::uint64_t position() const override { return position_; }

protected:
  // Makes the next block available with setBlock (it may be empty); false at the end.
  virtual llvm::Expected<bool> nextBlock() = 0;
  // BLOCK (SIZE bytes) comes next, after HOLE zeros.
  void setBlock(const std::uint8_t *block, std::size_t size, std::uint64_t hole) {
    block_ = block;
    blockLeft_ = size;
    holeLeft_ = hole;
  }

private:
  // Makes bytes available (a block or a hole) unless at the end; false at the end.
  llvm::Expected<bool> fill();
  // Passes up to COUNT available bytes, copying them to OUT when it is not null.
  std::size_t take(std::uint8_t *out, std::uint64_t count);
  // read() and skip(): COUNT bytes or up to the end, copied to OUT when it is not null.
  llvm::Expected<std::uint64_t> pass(std::uint8_t *out, std::uint64_t count);

  const std::uint8_t *block_ = nullptr;
  std::size_t blockLeft_ = 0;
  std::uint64_t holeLeft_ = 0; // zeros owed before block_
  std::uint64_t position_ = 0;
  bool ended_ = false;
};

// The data of the current entry of an archive being read (archive_read_data_block). With OWNED,
// the archive is freed with the stream (openDecompressed); otherwise it stays the caller's,
// e.g. a package's payload positioned at an ELF member. Holes of a sparse entry read as zeros.
// Errors read "'NAME': WHAT: libarchive's message" (WHAT e.g. "zstd data").
class ArchiveDataStream final : public BlockStream {
public:
  ArchiveDataStream(struct archive *archive, std::string name, std::string what, bool owned);
  ~ArchiveDataStream() override;
  ArchiveDataStream(const ArchiveDataStream &) = delete;
  ArchiveDataStream &operator=(const ArchiveDataStream &) = delete;

  const std::string &name() const override { return name_; }

private:
  llvm::Expected<bool> nextBlock() override;

  struct archive *archive_;
  std::string name_;
  std::string what_;
  bool owned_;
  std::uint64_t blockOffset_ = 0; // offset in the entry where the next block is due
};

// The decompressed bytes of the file at PATH, whose COMPRESSION compressionOf recognised (it picks
// the decoder and names the data in messages); an error naming PATH when
// the data cannot be read or is compressed data inside compressed data (one layer is read, never
// a second: a file that nests them is not a core or a binary).
llvm::Expected<std::unique_ptr<ForwardStream>> openDecompressedFile(const std::string &path,
                                                                    Compression compression);
// The same over bytes in memory (tests, fuzzing); the caller keeps BYTES alive.
llvm::Expected<std::unique_ptr<ForwardStream>>
openDecompressedMemory(std::string_view bytes, const std::string &name, Compression compression);

// The same over chunks of compressed bytes that can be read once (stdin).
llvm::Expected<std::unique_ptr<ForwardStream>>
openDecompressedChunks(const std::string &name, Compression compression, ChunkSource source);

} // namespace pkgnote::detail
