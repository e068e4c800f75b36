// SPDX-License-Identifier: MIT
// The compressed input path: libarchive's zstd, xz, lz4, gzip and bzip2 writers make the inputs,
// the reader must report what it reports for the plain bytes; the pass driver
// (read/streamed_read.h) keeps its bounds: bytes wanted behind a stream that cannot be reopened are
// an error, a reopenable one takes another pass, and a tail after the last wanted byte is never
// decompressed; `read --deps` of a real program (this test's own) needs one pass: its dynamic
// strings, before PT_DYNAMIC in the file, are kept on the way to it.
#include "elf_image.h"

#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "pkgnote/elf_reader.h"
#include "read/elf_bytes.h"
#include "read/streamed_read.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

namespace pkgnote {
namespace {

using detail::Compression;

// BYTES compressed by libarchive's writer for COMPRESSION (the same libraries as the tools).
std::string compress(const std::string &bytes, Compression compression) {
  struct archive *writer = archive_write_new();
  switch (compression) {
  case Compression::Zstd:
    archive_write_add_filter_zstd(writer);
    break;
  case Compression::Xz:
    archive_write_add_filter_xz(writer);
    break;
  case Compression::Lz4:
    archive_write_add_filter_lz4(writer);
    break;
  case Compression::Gzip:
    archive_write_add_filter_gzip(writer);
    break;
  case Compression::Bzip2:
    archive_write_add_filter_bzip2(writer);
    break;
  }
  archive_write_set_format_raw(writer);
  archive_write_set_bytes_in_last_block(writer, 1);
  std::string out(bytes.size() + (1 << 20), '\0');
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(writer, out.data(), out.size(), &used), ARCHIVE_OK);
  struct archive_entry *entry = archive_entry_new();
  archive_entry_set_pathname(entry, "data");
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
  EXPECT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
  EXPECT_EQ(archive_write_data(writer, bytes.data(), bytes.size()),
            static_cast<la_ssize_t>(bytes.size()));
  archive_entry_free(entry);
  EXPECT_EQ(archive_write_close(writer), ARCHIVE_OK);
  archive_write_free(writer);
  out.resize(used);
  return out;
}

class Compressions : public ::testing::TestWithParam<Compression> {};

TEST_P(Compressions, ReportEqualsThePlainImages) {
  std::string plain = testing::stampedImage();
  std::string packed = compress(plain, GetParam());
  ASSERT_EQ(detail::compressionOf(packed), GetParam());
  Result<FileReport> expected = readElfImage(plain, "in.so");
  Result<FileReport> report = readElfImage(packed, "in.so");
  ASSERT_TRUE(expected) << expected.error().message;
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(reportToJson(*report), reportToJson(*expected));
  ASSERT_TRUE(report->packages.size() == 1);
}

TEST_P(Compressions, TruncatedStreamIsOneError) {
  std::string packed = compress(testing::stampedImage(), GetParam());
  Result<FileReport> report = readElfImage(packed.substr(0, packed.size() / 3), "cut");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message.rfind("'cut': ", 0), 0u) << report.error().message;
  EXPECT_EQ(report.error().message.find('\n'), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(All, Compressions,
                         ::testing::Values(Compression::Zstd, Compression::Xz, Compression::Lz4,
                                           Compression::Gzip, Compression::Bzip2));

// bzip2's "BZh" and block size digit also start text: the block magic after them is required.
TEST(Compressed, Bzip2IsRecognisedByItsBlockMagic) {
  using namespace std::string_view_literals;
  EXPECT_EQ(detail::compressionOf("BZh91AY&SY\x01\x02"sv), Compression::Bzip2);
  EXPECT_EQ(detail::compressionOf("BZh1\x17\x72\x45\x38\x50\x90\0\0\0\0"sv),
            Compression::Bzip2); // empty data: the end-of-stream magic
  EXPECT_EQ(detail::compressionOf("BZh9 is a line of text"sv), std::nullopt);
  EXPECT_EQ(detail::compressionOf("BZh0\x31\x41\x59\x26\x53\x59"sv), std::nullopt);
  EXPECT_EQ(detail::compressionOf("BZh91AY&S"sv), std::nullopt); // too short to tell
}

TEST(Compressed, InsideCompressedIsRefused) {
  std::string twice =
      compress(compress(testing::stampedImage(), Compression::Zstd), Compression::Gzip);
  Result<FileReport> report = readElfImage(twice, "twice");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message,
            "'twice': compressed data inside compressed data (zstd inside gzip)");
}

// A forward stream over memory, counting the bytes it was asked to pass.
class MemoryStream final : public detail::ForwardStream {
public:
  explicit MemoryStream(const std::string &bytes) : bytes_(bytes) {}
  const std::string &name() const override { return name_; }
  llvm::Expected<std::size_t> read(std::uint8_t *out, std::size_t size) override {
    std::size_t n = std::min<std::size_t>(size, bytes_.size() - at_);
    std::memcpy(out, bytes_.data() + at_, n);
    at_ += n;
    return n;
  }
  llvm::Expected<std::uint64_t> skip(std::uint64_t count) override {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, bytes_.size() - at_));
    at_ += n;
    return n;
  }
  std::uint64_t position() const override { return at_; }

private:
  const std::string &bytes_;
  std::string name_ = "member";
  std::size_t at_ = 0;
};

// Reads 16 bytes at 64 KiB, then 16 at 0: the second range is behind the stream.
llvm::Expected<std::optional<FileReport>> backwards(const detail::ByteSource &source) {
  std::vector<std::uint8_t> bytes;
  if (llvm::Error error = source.read(64 << 10, 16, bytes, "far"))
    return error;
  if (llvm::Error error = source.read(0, 16, bytes, "near"))
    return error;
  return FileReport{};
}

TEST(StreamedRead, BytesBehindAStreamThatCannotBeReopenedAreAnError) {
  std::string bytes(128 << 10, 'x');
  auto result = detail::readStreamed(std::make_unique<MemoryStream>(bytes), {}, backwards);
  ASSERT_FALSE(result);
  EXPECT_EQ(llvm::toString(result.takeError()),
            "'member': bytes at 0x0+0x1000 are wanted after the stream went past them (at "
            "0x11000), and it cannot be read again");
}

// A reader that can do without bytes behind a stream that cannot be reopened (`read --deps`
// without the dynamic strings) runs on without them and says so; the file is not lost.
TEST(StreamedRead, AReaderThatCanDoWithoutBytesBehindSaysSo) {
  std::string bytes(128 << 10, 'x');
  detail::StreamReadStats stats;
  auto read = [](const detail::ByteSource &source) -> llvm::Expected<std::optional<FileReport>> {
    std::vector<std::uint8_t> bytes;
    if (llvm::Error error = source.read(64 << 10, 16, bytes, "far"))
      return error;
    FileReport report;
    if (llvm::Error error = source.read(0, 16, bytes, "near"))
      report.warnings.push_back(llvm::toString(std::move(error)));
    if (llvm::Error error = source.read(96 << 10, 16, bytes, "later"))
      return error;
    return report;
  };
  auto result = detail::readStreamed(std::make_unique<MemoryStream>(bytes), {}, read, &stats);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  ASSERT_TRUE(result->has_value());
  EXPECT_EQ((*result)->warnings,
            std::vector<std::string>{
                "'member': near at 0x0+0x10 lies behind the stream, which cannot be read again"});
  EXPECT_EQ(stats.passes, 1u);
}

TEST(StreamedRead, AReopenableStreamTakesAnotherPass) {
  std::string bytes(128 << 10, 'x');
  detail::StreamReadStats stats;
  detail::StreamOpener reopen = [&]() -> llvm::Expected<std::unique_ptr<detail::ForwardStream>> {
    return std::make_unique<MemoryStream>(bytes);
  };
  auto result =
      detail::readStreamed(std::make_unique<MemoryStream>(bytes), reopen, backwards, &stats);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(stats.passes, 2u);
  EXPECT_EQ(stats.captured, 2u * 4096);
}

TEST(StreamedRead, TheTailAfterTheLastWantedByteIsNeverPassed) {
  std::string image = testing::stampedImage();
  std::string bytes = image + std::string(8 << 20, '\0');
  detail::StreamReadStats stats;
  auto read = [&](const detail::ByteSource &source) -> llvm::Expected<std::optional<FileReport>> {
    std::vector<std::uint8_t> header;
    if (llvm::Error error = source.read(0, 64, header, "header"))
      return error;
    return FileReport{};
  };
  auto result = detail::readStreamed(std::make_unique<MemoryStream>(bytes), {}, read, &stats);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(stats.passes, 1u);
  EXPECT_EQ(stats.streamed, 4096u);
}

// An image's member or a pipe is read once: `read --deps` reads PT_DYNAMIC, then DT_STRTAB's
// strings, which the linker put before it. This test program, as linked, must be read in one pass
// over a stream that cannot be reopened, with the DT_NEEDED names a read of the whole file gives.
TEST(StreamedRead, DependenciesOfARealProgramInOnePass) {
  std::ifstream file("/proc/self/exe", std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  std::string bytes = contents.str();
  ASSERT_GT(bytes.size(), 4096u);
  ReadOptions options;
  options.dependencies = true;
  detail::MemoryByteSource whole(bytes, "self");
  auto expected = detail::readElfBytes(whole, options, nullptr);
  ASSERT_TRUE(bool(expected)) << llvm::toString(expected.takeError());
  ASSERT_TRUE(expected->has_value() && (*expected)->dependencies);
  ASSERT_FALSE((*expected)->dependencies->needed.empty());

  detail::StreamReadStats stats;
  auto result = detail::readStreamed(
      std::make_unique<MemoryStream>(bytes), {},
      [&](const detail::ByteSource &source) {
        return detail::readElfBytes(source, options, nullptr);
      },
      &stats);
  ASSERT_TRUE(bool(result)) << llvm::toString(result.takeError());
  ASSERT_TRUE(result->has_value() && (*result)->dependencies);
  EXPECT_EQ((*result)->dependencies->needed, (*expected)->dependencies->needed);
  EXPECT_TRUE((*result)->warnings.empty());
  EXPECT_EQ(stats.passes, 1u);
  // The 8 MiB cap, plus the whole pages the driver rounds each wanted range out to (a range
  // starting mid-page takes one more page: seen under the sanitizer build's larger binary).
  EXPECT_LE(stats.captured, (std::uint64_t{8} << 20) + 2 * 4096);
}

} // namespace
} // namespace pkgnote
