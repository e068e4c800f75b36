// SPDX-License-Identifier: MIT
// The XzDecoder (io/xz_decoder.h) on valid inputs made by liblzma's encoders: every input, fed in
// every chunking, decodes to what liblzma's own decoder gives, with and without a worker decoding
// ahead; the worker is used exactly where blocks give their sizes (multi-threaded xz) and fit the
// budget. Damaged inputs and the messages are in xz_decoder_errors_test.cpp.
#include "xz_decoder_run.h"

#include <functional>

namespace pkgnote {
namespace {

using namespace testing;
using detail::XzDecoderLimits;

struct Sample {
  Bytes data; // what the input decompresses to
  Bytes xz;
  // Whether a block after the first gives its sizes in its header: the worker can take it.
  bool decodableAhead = false;
};

struct SampleSpec {
  const char *name;
  std::function<Sample()> make;
};

constexpr std::uint64_t kBlock = 64 << 10;

Sample encoded(Bytes data, const XzOptions &options, bool decodableAhead) {
  Bytes xz = encodeXz(data, options);
  return {std::move(data), std::move(xz), decodableAhead};
}

XzOptions multiBlock(lzma_check check, ExtraFilter filter = ExtraFilter::None) {
  XzOptions options;
  options.check = check;
  options.blockSize = kBlock;
  options.filter = filter;
  return options;
}

XzOptions singleBlock(lzma_check check, ExtraFilter filter = ExtraFilter::None) {
  XzOptions options;
  options.check = check;
  options.filter = filter;
  return options;
}

// Little-endian 32-bit samples of a slow ramp: what the delta filter is for.
Bytes rampData(std::size_t count) {
  Bytes out;
  for (std::uint32_t i = 0; i < count; ++i)
    for (int byte = 0; byte < 4; ++byte)
      out.push_back(static_cast<std::uint8_t>((i * 5 + i / 100) >> (8 * byte)));
  return out;
}

// Streams of every kind the decoder meets, one concern each.
const std::vector<SampleSpec> &sampleSpecs() {
  static const std::vector<SampleSpec> specs = {
      {"MultiBlockCrc64",
       [] {
         return encoded(
             concat({textData(150 << 10, 2), randomData(60 << 10, 3), textData(90 << 10, 4)}),
             multiBlock(LZMA_CHECK_CRC64), true);
       }},
      {"MultiBlockNoCheck",
       [] { return encoded(textData(200 << 10, 5), multiBlock(LZMA_CHECK_NONE), true); }},
      {"MultiBlockCrc32",
       [] { return encoded(textData(200 << 10, 5), multiBlock(LZMA_CHECK_CRC32), true); }},
      {"MultiBlockSha256",
       [] { return encoded(textData(200 << 10, 5), multiBlock(LZMA_CHECK_SHA256), true); }},
      {"SingleBlockNoCheck",
       [] { return encoded(textData(200 << 10, 6), singleBlock(LZMA_CHECK_NONE), false); }},
      {"SingleBlockCrc32",
       [] { return encoded(textData(200 << 10, 6), singleBlock(LZMA_CHECK_CRC32), false); }},
      {"SingleBlockCrc64",
       [] { return encoded(textData(200 << 10, 6), singleBlock(LZMA_CHECK_CRC64), false); }},
      {"SingleBlockSha256",
       [] { return encoded(textData(200 << 10, 6), singleBlock(LZMA_CHECK_SHA256), false); }},
      {"SingleBlockOneByte",
       [] { return encoded(Bytes{'x'}, singleBlock(LZMA_CHECK_CRC64), false); }},
      {"MultiThreadedOneBlock",
       [] { return encoded(textData(30 << 10, 7), multiBlock(LZMA_CHECK_CRC64), false); }},
      {"X86BcjSingleBlock",
       [] {
         return encoded(randomData(100 << 10, 8), singleBlock(LZMA_CHECK_CRC64, ExtraFilter::X86),
                        false);
       }},
      {"X86BcjMultiBlock",
       [] {
         return encoded(concat({randomData(100 << 10, 9), textData(100 << 10, 9)}),
                        multiBlock(LZMA_CHECK_CRC32, ExtraFilter::X86), true);
       }},
      {"DeltaSingleBlock",
       [] {
         return encoded(rampData(50000), singleBlock(LZMA_CHECK_CRC64, ExtraFilter::Delta), false);
       }},
      {"DeltaMultiBlock",
       [] {
         return encoded(rampData(80000), multiBlock(LZMA_CHECK_CRC64, ExtraFilter::Delta), true);
       }},
      {"EmptySingleThreaded", [] { return encoded({}, singleBlock(LZMA_CHECK_CRC64), false); }},
      {"EmptyMultiThreaded", [] { return encoded({}, multiBlock(LZMA_CHECK_CRC64), false); }},
      {"Incompressible",
       [] { return encoded(randomData(300 << 10, 10), multiBlock(LZMA_CHECK_CRC64), true); }},
      {"Zeros", [] { return encoded(Bytes(2 << 20, 0), multiBlock(LZMA_CHECK_CRC64), true); }},
      {"UnequalBlocks",
       [] {
         XzOptions options = multiBlock(LZMA_CHECK_CRC64);
         options.cuts = {1, 5000, 5001, 140000, 140100};
         return encoded(textData(300 << 10, 11), options, true);
       }},
      {"ConcatenatedWithPadding",
       [] {
         Bytes first = textData(200 << 10, 12), second = textData(50 << 10, 13),
               fourth = textData(100 << 10, 14);
         Bytes xz = concat({encodeXz(first, multiBlock(LZMA_CHECK_CRC64)), Bytes(4, 0),
                            encodeXz(second, singleBlock(LZMA_CHECK_SHA256)), Bytes(8, 0),
                            encodeXz({}, singleBlock(LZMA_CHECK_CRC32)),
                            encodeXz(fourth, multiBlock(LZMA_CHECK_CRC32)), Bytes(4, 0)});
         return Sample{concat({first, second, fourth}), xz, true};
       }},
  };
  return specs;
}

class ValidXz : public ::testing::TestWithParam<std::tuple<std::size_t, Chunking>> {};

TEST_P(ValidXz, EqualsLiblzmaInEverySetting) {
  auto [index, chunking] = GetParam();
  Sample sample = sampleSpecs()[index].make();
  OracleResult oracle = oracleDecode(sample.xz);
  ASSERT_TRUE(oracle.ok()) << oracle.ret;
  ASSERT_TRUE(oracle.out == sample.data);

  struct Setting {
    const char *name;
    XzDecoderLimits limits;
    bool ahead;
  };
  for (const Setting &setting : {Setting{"decodeAhead", aheadLimits(true), sample.decodableAhead},
                                 Setting{"no decodeAhead", aheadLimits(false), false},
                                 Setting{"aheadBudget of 1 byte", aheadLimits(true, 1), false}}) {
    SCOPED_TRACE(setting.name);
    XzRun run = runXzDecoder(sample.xz, chunking, setting.limits);
    expectLikeLiblzma(run, oracle, sample.data.size());
    if (setting.ahead)
      EXPECT_GT(run.ahead, 0u);
    else
      EXPECT_EQ(run.ahead, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(All, ValidXz,
                         ::testing::Combine(::testing::Range<std::size_t>(0, sampleSpecs().size()),
                                            ::testing::Values(Chunking::Whole, Chunking::Bytes1,
                                                              Chunking::Bytes7, Chunking::Random)),
                         [](const auto &info) {
                           return std::string(sampleSpecs()[std::get<0>(info.param)].name) + "_" +
                                  chunkingName(std::get<1>(info.param));
                         });

TEST(XzDecoder, IsXzWantsTheWholeMagic) {
  const Bytes magic = {0xFD, '7', 'z', 'X', 'Z', 0x00};
  EXPECT_TRUE(detail::isXz(magic));
  EXPECT_TRUE(detail::isXz(encodeXz(textData(100, 1))));
  EXPECT_FALSE(detail::isXz({}));
  EXPECT_FALSE(detail::isXz(llvm::ArrayRef<std::uint8_t>(magic).drop_back()));
  Bytes wrong = magic;
  wrong[5] = 0x01;
  EXPECT_FALSE(detail::isXz(wrong));
  const Bytes lzmaAlone = {0x5D, 0x00, 0x00, 0x80, 0x00, 0xFF, 0xFF, 0xFF};
  EXPECT_FALSE(detail::isXz(lzmaAlone));
}

TEST(XzDecoder, DefaultLimitsDecodeAheadOnTwoCores) {
  XzDecoderLimits limits = detail::defaultXzDecoderLimits();
  EXPECT_EQ(limits.decodeAhead, std::thread::hardware_concurrency() >= 2);
  EXPECT_EQ(limits.memlimit, std::uint64_t{1} << 30);
}

// The source's errors come out unchanged, whether the decoder meets them while reading the block
// it hands out or the next block for its worker; what came before is the data's start.
TEST(XzDecoder, SourceErrorIsPassedOnUnchanged) {
  Bytes data = textData(4 * kBlock, 20);
  Bytes xz = encodeXz(data, multiBlock(LZMA_CHECK_CRC64));
  XzLayout layout = layoutOf(xz);
  ASSERT_EQ(layout.blocks.size(), 4u);
  std::vector<std::size_t> failAts = {0,
                                      5,
                                      12,
                                      (layout.blocks[0].data + layout.blocks[0].check) / 2,
                                      layout.blocks[2].data + 10,
                                      layout.streams[0].index + 1,
                                      layout.streams[0].footer + 3,
                                      xz.size()};
  for (Chunking chunking : {Chunking::Whole, Chunking::Bytes7})
    for (std::size_t failAt : failAts) {
      SCOPED_TRACE("source fails at byte " + std::to_string(failAt) + ", chunks " +
                   chunkingName(chunking));
      XzRun run = runXzDecoder(xz, chunking, aheadLimits(true), SIZE_MAX, failAt);
      ASSERT_TRUE(run.error);
      EXPECT_EQ(*run.error, "'t.xz': read error: injected at byte " + std::to_string(failAt));
      EXPECT_TRUE(run.out.size() <= data.size() &&
                  std::equal(run.out.begin(), run.out.end(), data.begin()));
    }
}

// A caller that stops early (pkgnote read stops after the last byte it needs) destroys the
// decoder while its worker may still be decoding: that must neither hang nor leak.
TEST(XzDecoder, DestroyedBeforeTheEnd) {
  Bytes data = textData(6 * kBlock, 21);
  Bytes xz = encodeXz(data, multiBlock(LZMA_CHECK_SHA256));
  for (std::size_t stopAfter : {std::size_t{1}, std::size_t{kBlock / 2}, std::size_t{kBlock + 1},
                                std::size_t{3 * kBlock}}) {
    XzRun run = runXzDecoder(xz, Chunking::Random, aheadLimits(true), stopAfter);
    EXPECT_FALSE(run.error);
    EXPECT_GE(run.out.size(), stopAfter);
    EXPECT_TRUE(std::equal(run.out.begin(), run.out.end(), data.begin()));
  }
}

// Whether MESSAGE is "...: needs N MiB of memory, more than the 4 MiB allowed" for block 1 (no
// std::regex: GCC 12 warns inside <regex> under the sanitizers, and CI builds those with -Werror).
bool isMemlimitMessage(const std::string &message) {
  const std::string head = "'t.xz': xz data: block 1 at byte 12: needs ",
                    tail = " MiB of memory, more than the 4 MiB allowed";
  if (message.size() <= head.size() + tail.size() || message.rfind(head, 0) != 0 ||
      message.compare(message.size() - tail.size(), tail.size(), tail) != 0)
    return false;
  return std::all_of(message.begin() + head.size(), message.end() - tail.size(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

// A dictionary larger than the memlimit is refused before anything is allocated, with a message
// that says how much was needed; a sufficient limit decodes the same bytes.
TEST(XzDecoder, MemlimitBelowTheDictionaryIsRefused) {
  for (std::uint64_t blockSize : {std::uint64_t{0}, kBlock}) {
    SCOPED_TRACE(blockSize ? "multi-threaded" : "single-threaded");
    XzOptions options = multiBlock(LZMA_CHECK_CRC64);
    options.blockSize = blockSize;
    options.dictSize = 8 << 20;
    Bytes data = textData(3 * kBlock, 22);
    Bytes xz = encodeXz(data, options);
    for (bool ahead : {true, false}) {
      XzDecoderLimits limits = aheadLimits(ahead);
      limits.memlimit = 4 << 20;
      XzRun run = runXzDecoder(xz, Chunking::Whole, limits);
      ASSERT_TRUE(run.error);
      EXPECT_TRUE(isMemlimitMessage(*run.error)) << *run.error;
      EXPECT_TRUE(run.out.empty());
      limits.memlimit = 10 << 20;
      run = runXzDecoder(xz, Chunking::Whole, limits);
      EXPECT_FALSE(run.error) << *run.error;
      EXPECT_TRUE(run.out == data);
    }
  }
}

} // namespace
} // namespace pkgnote
