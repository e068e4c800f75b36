// SPDX-License-Identifier: MIT
// The XzDecoder (io/xz_decoder.h) on damaged inputs: a byte flipped in each part of the container,
// the input cut at every offset, bad stream padding, garbage after a stream. It must fail exactly
// where liblzma's own decoder fails, hand out only a prefix of what liblzma hands out (and every
// block that ends before the damage), and give one message whatever the chunking and whether a
// worker decodes ahead. Then the exact messages, one per part and problem.
#include "xz_decoder_run.h"

#include <set>

namespace pkgnote {
namespace {

using namespace testing;

constexpr std::uint64_t kBlock = 64 << 10;

XzOptions multiBlock(lzma_check check = LZMA_CHECK_CRC64, std::uint64_t blockSize = kBlock) {
  XzOptions options;
  options.check = check;
  options.blockSize = blockSize;
  return options;
}

// Four blocks of 64 KiB that the worker can take, as multi-threaded xz writes them.
Bytes fourBlocks(lzma_check check = LZMA_CHECK_CRC64) {
  return encodeXz(textData(4 * kBlock, 30), multiBlock(check));
}

// Two multi-block streams and a single-block one, with stream padding between and after.
Bytes concatenated() {
  return concat({fourBlocks(), Bytes(4, 0), encodeXz(textData(50000, 31)), Bytes(8, 0),
                 encodeXz(textData(3 * kBlock, 32), multiBlock(LZMA_CHECK_SHA256)), Bytes(4, 0)});
}

// A few hundred bytes in blocks of 1 KiB: small enough to cut at every offset.
Bytes smallBlocks() {
  XzOptions options = multiBlock(LZMA_CHECK_CRC32, 1024);
  options.dictSize = 64 << 10;
  return encodeXz(textData(3500, 33), options);
}

// Offsets worth damaging: the edges and middle of every part the layout names, and a spread.
std::vector<std::uint64_t> partOffsets(const Bytes &xz, const XzLayout &layout, int spread) {
  std::set<std::uint64_t> at;
  for (const XzStreamPlace &s : layout.streams) {
    for (std::uint64_t o : {0, 6, 7, 8, 11})
      at.insert(s.header + o);
    for (std::uint64_t o : {s.index, s.index + 1, (s.index + s.footer) / 2, s.footer - 1})
      at.insert(o);
    for (std::uint64_t o = 0; o < LZMA_STREAM_HEADER_SIZE; o += 2)
      at.insert(s.footer + o);
    if (s.padding)
      at.insert({s.end, s.end + s.padding - 1});
  }
  for (const XzBlockPlace &b : layout.blocks)
    for (std::uint64_t o : {b.header, b.header + 1, (b.header + b.data) / 2, b.data - 1, b.data,
                            (b.data + b.check) / 2, b.check - 1, b.check, b.end - 1})
      at.insert(o);
  for (int i = 0; i < spread; ++i)
    at.insert(xz.size() * i / spread);
  std::vector<std::uint64_t> out;
  for (std::uint64_t o : at)
    if (o < xz.size())
      out.push_back(o);
  return out;
}

// DAMAGED, made from a valid input by damage at offset DAMAGE_AT, decoded in CHUNKING with a
// worker and on one thread: both like liblzma, both with the same message.
void checkDamaged(const Bytes &damaged, const XzLayout &layout, std::uint64_t damageAt,
                  Chunking chunking) {
  OracleResult oracle = oracleDecode(damaged);
  XzRun ahead = runXzDecoder(damaged, chunking, aheadLimits(true));
  expectLikeLiblzma(ahead, oracle, layout.outputBefore(damageAt));
  XzRun alone = runXzDecoder(damaged, Chunking::Whole, aheadLimits(false));
  expectLikeLiblzma(alone, oracle, layout.outputBefore(damageAt));
  EXPECT_EQ(ahead.error, alone.error) << "the message depends on chunking or decodeAhead";
}

struct DamageCase {
  const char *name;
  std::function<Bytes()> make;
  int spread; // offsets besides the parts' own
};

const std::vector<DamageCase> &damageCases() {
  static const std::vector<DamageCase> cases = {
      {"FourBlocks", [] { return fourBlocks(); }, 40},
      {"FourBlocksNoCheck", [] { return fourBlocks(LZMA_CHECK_NONE); }, 20},
      {"SingleBlock", [] { return encodeXz(textData(100000, 34)); }, 20},
      {"Concatenated", concatenated, 40},
      {"SmallBlocks", smallBlocks, 0},
  };
  return cases;
}

class DamagedXz : public ::testing::TestWithParam<std::tuple<std::size_t, Chunking>> {};

TEST_P(DamagedXz, FlippedByteFailsLikeLiblzma) {
  auto [index, chunking] = GetParam();
  const Bytes xz = damageCases()[index].make();
  const XzLayout layout = layoutOf(xz);
  for (std::uint64_t at : partOffsets(xz, layout, damageCases()[index].spread)) {
    SCOPED_TRACE("byte " + std::to_string(at) + " flipped");
    Bytes damaged = xz;
    damaged[at] ^= 0x55;
    checkDamaged(damaged, layout, at, chunking);
  }
}

TEST_P(DamagedXz, TruncatedFailsLikeLiblzma) {
  auto [index, chunking] = GetParam();
  const Bytes xz = damageCases()[index].make();
  const XzLayout layout = layoutOf(xz);
  std::vector<std::uint64_t> cuts = partOffsets(xz, layout, damageCases()[index].spread);
  // The small input is cut everywhere; then the cuts in one-byte chunks are too slow to matter.
  if (xz.size() < 4096) {
    cuts.clear();
    for (std::uint64_t cut = 0; cut < xz.size(); ++cut)
      cuts.push_back(cut);
  }
  for (std::uint64_t cut : cuts) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut));
    checkDamaged(Bytes(xz.begin(), xz.begin() + cut), layout, cut, chunking);
  }
}

INSTANTIATE_TEST_SUITE_P(All, DamagedXz,
                         ::testing::Combine(::testing::Range<std::size_t>(0, damageCases().size()),
                                            ::testing::Values(Chunking::Whole, Chunking::Bytes1,
                                                              Chunking::Bytes7, Chunking::Random)),
                         [](const auto &info) {
                           return std::string(damageCases()[std::get<0>(info.param)].name) + "_" +
                                  chunkingName(std::get<1>(info.param));
                         });

// Stream padding is zero bytes in multiples of four, between and after streams; anything else
// after a stream is an error, as it is to liblzma.
TEST(XzDecoderErrors, PaddingAndGarbageAfterAStream) {
  const Bytes stream = fourBlocks();
  const XzLayout layout = layoutOf(stream);
  Bytes badMagic = encodeXz(textData(1000, 35));
  badMagic[1] ^= 0x01;
  const std::vector<std::pair<const char *, Bytes>> tails = {
      {"4 zeros", Bytes(4, 0)},
      {"12 zeros", Bytes(12, 0)},
      {"1 zero", Bytes(1, 0)},
      {"3 zeros", Bytes(3, 0)},
      {"6 zeros", Bytes(6, 0)},
      {"byte 1", Bytes{1}},
      {"4 zeros and 4 bytes of junk", concat({Bytes(4, 0), Bytes{'j', 'u', 'n', 'k'}})},
      {"4 junk bytes", Bytes{'j', 'u', 'n', 'k'}},
      {"hello world!", Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'}},
      {"4 zeros and a stream with a bad magic", concat({Bytes(4, 0), badMagic})},
      {"4 zeros and half a stream header",
       concat({Bytes(4, 0), Bytes(badMagic.begin(), badMagic.begin() + 6)})},
  };
  for (Chunking chunking : {Chunking::Whole, Chunking::Bytes1, Chunking::Bytes7}) {
    for (const auto &[name, tail] : tails) {
      SCOPED_TRACE(std::string(name) + ", chunks " + chunkingName(chunking));
      checkDamaged(concat({stream, tail}), layout, stream.size(), chunking);
    }
    SCOPED_TRACE("padding before the first stream");
    checkDamaged(concat({Bytes(4, 0), stream}), layout, 0, chunking);
  }
}

// The message for INPUT, decoded with a worker in 7-byte chunks, checked to be liblzma's verdict.
std::string messageFor(const Bytes &input) {
  OracleResult oracle = oracleDecode(input);
  XzRun run = runXzDecoder(input, Chunking::Bytes7, aheadLimits(true));
  EXPECT_FALSE(oracle.ok());
  return run.error.value_or("(no error)");
}

std::string at(std::uint64_t offset) { return std::to_string(offset); }

Bytes flipped(Bytes bytes, std::uint64_t offset) {
  bytes[offset] ^= 0x55;
  return bytes;
}

Bytes cut(const Bytes &bytes, std::uint64_t size) {
  return Bytes(bytes.begin(), bytes.begin() + size);
}

void putCrc32(Bytes &bytes, std::uint64_t at, std::uint64_t from, std::uint64_t size) {
  std::uint32_t crc = lzma_crc32(bytes.data() + from, size, 0);
  for (int i = 0; i < 4; ++i)
    bytes[at + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

TEST(XzDecoderErrors, MessageNamesThePartAndItsOffset) {
  const std::string prefix = "'t.xz': xz data: ";
  const Bytes xz = fourBlocks();
  const XzLayout l = layoutOf(xz);
  ASSERT_EQ(l.blocks.size(), 4u);
  const XzBlockPlace &b1 = l.blocks[0], &b2 = l.blocks[1], &b3 = l.blocks[2];
  const XzStreamPlace &s = l.streams[0];

  EXPECT_EQ(messageFor({'h', 'e', 'l', 'l', 'o'}), prefix + "stream header at byte 0: not xz data");
  EXPECT_EQ(messageFor(flipped(xz, 0)), prefix + "stream header at byte 0: not xz data");
  EXPECT_EQ(messageFor(flipped(xz, 7)), prefix + "stream header at byte 0: corrupt data");
  EXPECT_EQ(messageFor(flipped(xz, (b2.data + b2.check) / 2)),
            prefix + "block 2 at byte " + at(b2.header) + ": corrupt data");
  EXPECT_EQ(messageFor(flipped(xz, b3.header + 1)),
            prefix + "block 3 at byte " + at(b3.header) + ": corrupt data");
  EXPECT_EQ(messageFor(flipped(xz, b2.check)),
            prefix + "block 2 at byte " + at(b2.header) + ": corrupt data");
  EXPECT_EQ(messageFor(cut(xz, (b1.data + b1.check) / 2)),
            prefix + "block 1 at byte 12: truncated");
  EXPECT_EQ(messageFor(cut(xz, (b3.data + b3.check) / 2)),
            prefix + "block 3 at byte " + at(b3.header) + ": truncated");
  EXPECT_EQ(messageFor(flipped(xz, (s.index + s.footer) / 2)),
            prefix + "index at byte " + at(s.index) + ": corrupt data");
  EXPECT_EQ(messageFor(cut(xz, (s.index + s.footer) / 2)),
            prefix + "index at byte " + at(s.index) + ": truncated");
  EXPECT_EQ(messageFor(flipped(xz, s.footer + 4)),
            prefix + "stream footer at byte " + at(s.footer) + ": corrupt data");
  EXPECT_EQ(messageFor(cut(xz, s.footer + 6)),
            prefix + "stream footer at byte " + at(s.footer) + ": truncated");

  // Blocks are counted through the whole input: the second stream's first block is block 5.
  const Bytes two = concatenated();
  const XzLayout l2 = layoutOf(two);
  ASSERT_EQ(l2.blocks.size(), 8u);
  EXPECT_EQ(messageFor(flipped(two, (l2.blocks[4].data + l2.blocks[4].check) / 2)),
            prefix + "block 5 at byte " + at(l2.blocks[4].header) + ": corrupt data");
  EXPECT_EQ(messageFor(concat({xz, Bytes(4, 0),
                               Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'}})),
            prefix + "stream header at byte " + at(xz.size() + 4) + ": not xz data");
  EXPECT_EQ(messageFor(concat({xz, Bytes(3, 0)})),
            prefix + "stream padding at byte " + at(xz.size()) + ": corrupt data");
}

// A filter liblzma does not know, and a check type it cannot verify, each behind a valid CRC32.
TEST(XzDecoderErrors, UnsupportedFilterAndCheck) {
  const std::string prefix = "'t.xz': xz data: ";
  XzOptions crc32;
  crc32.check = LZMA_CHECK_CRC32;
  const Bytes xz = encodeXz(textData(10000, 36), crc32);

  Bytes filter = xz;
  const std::uint64_t headerSize = (filter[12] + 1) * 4;
  ASSERT_EQ(filter[13], 0x00) << "a single-threaded block header has no sizes";
  ASSERT_EQ(filter[14], 0x21) << "LZMA2's filter ID";
  filter[14] = 0x22;
  putCrc32(filter, 12 + headerSize - 4, 12, headerSize - 4);
  EXPECT_EQ(messageFor(filter), prefix + "block 1 at byte 12: unsupported options");

  // Check ID 2 is reserved (4 bytes, like CRC32): decoded without being verified, as liblzma
  // and libarchive do (and `xz -d`, with a warning): a newer xz's check is no reason to refuse.
  Bytes check = xz;
  const std::uint64_t footer = check.size() - LZMA_STREAM_HEADER_SIZE;
  check[7] = check[footer + 9] = 0x02;
  putCrc32(check, 8, 6, 2);
  putCrc32(check, footer, footer + 4, 6);
  ASSERT_TRUE(oracleDecode(check).ok());
  XzRun run = runXzDecoder(check, Chunking::Bytes7, aheadLimits(true));
  EXPECT_EQ(run.error.value_or("(no error)"), "(no error)");
  EXPECT_EQ(run.out, textData(10000, 36));
}

} // namespace
} // namespace pkgnote
