// SPDX-License-Identifier: MIT
// Single-stream compressed inputs (io/decompress_stream.h over io/stream_codec.h): the real tools
// (gzip, zstd, lz4, bzip2, xz) compress, the decoders must give back exactly their bytes, join
// concatenated members and frames, and name a cut or corrupt input as libarchive's filters did.
#include "temp_dir.h"

#include "io/decoded_stream.h"
#include "io/decompress_stream.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace pkgnote {
namespace {

using detail::Compression;

// BYTES compressed by COMPRESSION's own command-line tool.
std::string compress(const std::string &bytes, Compression compression) {
  testing::TempDir dir;
  dir.write("in", bytes);
  std::string command =
      std::string(detail::compressionName(compression)) + " -1 -c " + (dir / "in");
  std::FILE *pipe = ::popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  std::string out;
  char buffer[65536];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe))
    out.append(buffer, got);
  EXPECT_EQ(::pclose(pipe), 0) << command;
  return out;
}

// Every decoded byte of COMPRESSED, or the error's message.
std::string decode(const std::string &compressed, Compression compression,
                   std::size_t chunkBytes = 0) {
  auto open = [&]() {
    if (chunkBytes == 0)
      return detail::openDecompressedMemory(compressed, "input", compression);
    // Handed out CHUNKBYTES at a time, as a pipe would: members end inside a chunk or at its end.
    std::size_t at = 0;
    return detail::openDecompressedChunks(
        "input", compression,
        [&compressed, at, chunkBytes]() mutable -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
          std::size_t size = std::min(chunkBytes, compressed.size() - at);
          llvm::ArrayRef<std::uint8_t> chunk(
              reinterpret_cast<const std::uint8_t *>(compressed.data()) + at, size);
          at += size;
          return chunk;
        });
  };
  auto stream = open();
  if (!stream)
    return "error: " + llvm::toString(stream.takeError());
  std::string out;
  std::uint8_t buffer[10000];
  for (;;) {
    auto got = (*stream)->read(buffer, sizeof buffer);
    if (!got)
      return "error: " + llvm::toString(got.takeError());
    if (*got == 0)
      return out;
    out.append(reinterpret_cast<const char *>(buffer), *got);
  }
}

// SIZE bytes that compress somewhat and start with no compression's magic.
std::string sample(std::size_t size, unsigned seed) {
  std::string bytes;
  std::uint32_t state = seed * 2654435761u + 1;
  while (bytes.size() < size) {
    state = state * 1103515245u + 12345u;
    bytes += "word" + std::to_string((state >> 16) % 1000) + (state & 1 ? " " : "\n");
  }
  bytes.resize(size);
  return bytes;
}

class Codecs : public ::testing::TestWithParam<Compression> {};

TEST_P(Codecs, DecodeExactlyTheToolsBytes) {
  for (std::size_t size : {std::size_t{1}, std::size_t{70000}, std::size_t{3} << 20}) {
    std::string plain = sample(size, 1);
    EXPECT_EQ(decode(compress(plain, GetParam()), GetParam()), plain) << size;
  }
}

TEST_P(Codecs, ConcatenatedMembersReadAsOne) {
  std::string a = sample(100000, 2), b = sample(5000, 3);
  std::string both = compress(a, GetParam()) + compress(b, GetParam());
  EXPECT_EQ(decode(both, GetParam()), a + b);
  // Fed a byte, then 7 bytes, at a time: member boundaries fall inside chunks and between them.
  EXPECT_EQ(decode(both, GetParam(), 1), a + b);
  EXPECT_EQ(decode(both, GetParam(), 7), a + b);
}

TEST_P(Codecs, TruncatedInputIsAnError) {
  if (GetParam() == Compression::Xz)
    GTEST_SKIP() << "xz's own messages: xz_decoder_errors_test.cpp";
  std::string name = detail::compressionName(GetParam());
  std::string compressed = compress(sample(200000, 4), GetParam());
  EXPECT_EQ(decode(compressed.substr(0, compressed.size() / 2), GetParam()),
            "error: 'input': " + name + " data: truncated " + name + " input");
  // Cut inside the first header: the same message, with no byte before it.
  EXPECT_EQ(decode(compressed.substr(0, 5), GetParam()),
            "error: 'input': " + name + " data: truncated " + name + " input");
}

TEST_P(Codecs, EmptyDataIsNoData) {
  if (GetParam() == Compression::Xz)
    GTEST_SKIP() << "xz reads as empty";
  std::string name = detail::compressionName(GetParam());
  EXPECT_EQ(decode(compress("", GetParam()), GetParam()),
            "error: 'input': " + name + " data: no data, or none that decompresses");
}

TEST_P(Codecs, CompressedDataInsideIsRefused) {
  std::string inner = compress(sample(1000, 5), Compression::Gzip);
  EXPECT_EQ(decode(compress(inner, GetParam()), GetParam()),
            std::string("error: 'input': compressed data inside compressed data (gzip inside ") +
                detail::compressionName(GetParam()) + ")");
}

INSTANTIATE_TEST_SUITE_P(All, Codecs,
                         ::testing::Values(Compression::Gzip, Compression::Zstd, Compression::Lz4,
                                           Compression::Bzip2, Compression::Xz),
                         [](const auto &info) { return detail::compressionName(info.param); });

// Bytes after the last member that do not start another are ignored by gzip, lz4 and bzip2, as
// libarchive's filters ignored them; libzstd reads every byte as frames.
TEST(CodecTrailingBytes, IgnoredExceptByZstd) {
  std::string plain = sample(5000, 6), trailer(100, 'x');
  for (Compression c : {Compression::Gzip, Compression::Lz4, Compression::Bzip2})
    EXPECT_EQ(decode(compress(plain, c) + trailer, c), plain) << detail::compressionName(c);
  EXPECT_EQ(decode(compress(plain, Compression::Zstd) + trailer, Compression::Zstd),
            "error: 'input': zstd data: zstd decompression failed: unknown frame descriptor");
}

// A gzip member whose CRC-32 does not match its bytes: zlib checks it (libarchive did not).
TEST(CodecCorrupt, GzipCrcMismatchAfterTheBytes) {
  std::string plain = sample(1000, 7);
  std::string compressed = compress(plain, Compression::Gzip);
  compressed[compressed.size() - 8] ^= 1; // the CRC-32 in the trailer
  EXPECT_EQ(decode(compressed, Compression::Gzip),
            "error: 'input': gzip data: gzip decompression failed: incorrect data check");
  std::string bzip = compress(plain, Compression::Bzip2);
  bzip[bzip.size() / 2] ^= 0x55;
  EXPECT_EQ(decode(bzip, Compression::Bzip2),
            "error: 'input': bzip2 data: bzip decompression failed");
}

// gzip by zlib, the decoder where ISA-L is missing: the same bytes and messages as ISA-L's.
TEST(CodecZlibFallback, SameBytesAndMessages) {
  auto run = [](const std::string &compressed, std::size_t chunkBytes) -> std::string {
    auto codec = detail::makeZlibGzipCodec();
    if (!codec)
      return "error: " + llvm::toString(codec.takeError());
    std::size_t at = 0;
    detail::DecodedStream stream(
        "input", Compression::Gzip, std::move(*codec),
        [&compressed, at, chunkBytes]() mutable -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
          std::size_t size = std::min(chunkBytes, compressed.size() - at);
          llvm::ArrayRef<std::uint8_t> chunk(
              reinterpret_cast<const std::uint8_t *>(compressed.data()) + at, size);
          at += size;
          return chunk;
        });
    std::string out(1 << 20, '\0');
    std::size_t total = 0;
    for (;;) {
      auto got = stream.read(reinterpret_cast<std::uint8_t *>(out.data()) + total, 4096);
      if (!got)
        return "error: " + llvm::toString(got.takeError());
      if (*got == 0)
        return out.substr(0, total);
      total += *got;
    }
  };
  std::string a = sample(100000, 8), b = sample(3000, 9);
  std::string both = compress(a, Compression::Gzip) + compress(b, Compression::Gzip);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{65536}})
    EXPECT_EQ(run(both, chunk), a + b) << chunk;
  EXPECT_EQ(run(both + "trailing", 65536), a + b);
  EXPECT_EQ(run(both.substr(0, 5000), 65536), "error: 'input': gzip data: truncated gzip input");
  std::string corrupt = compress(b, Compression::Gzip);
  corrupt[corrupt.size() - 8] ^= 1;
  EXPECT_EQ(run(corrupt, 65536),
            "error: 'input': gzip data: gzip decompression failed: incorrect data check");
}

} // namespace
} // namespace pkgnote
