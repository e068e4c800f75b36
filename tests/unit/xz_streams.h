// SPDX-License-Identifier: MIT
// xz inputs for the XzDecoder's tests, made by liblzma's own encoders, and the oracle they are
// checked against: liblzma's single-threaded stream decoder on the same bytes. The layout of a
// valid input (where each block, index and footer lies, and how much output precedes each block's
// end) comes from liblzma's file-info decoder, so that damage can be aimed at one part.
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <gtest/gtest.h>
#include <lzma.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace pkgnote::testing {

using Bytes = std::vector<std::uint8_t>;

// Lines of words from a small vocabulary: compresses about 4:1, like text and code do.
inline Bytes textData(std::size_t size, unsigned seed) {
  static const char *const words[] = {"package", "note",  "elf",    "core",  "qemu", "aarch64",
                                      "version", "1.0-1", "x86_64", "build", "id",   "\n"};
  std::mt19937 random(seed);
  Bytes out;
  while (out.size() < size) {
    const char *word = words[random() % std::size(words)];
    out.insert(out.end(), word, word + std::char_traits<char>::length(word));
    out.push_back(' ');
  }
  out.resize(size);
  return out;
}

// Bytes LZMA2 cannot shrink: it stores them as uncompressed chunks.
inline Bytes randomData(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  Bytes out(size);
  for (auto &byte : out)
    byte = static_cast<std::uint8_t>(random());
  return out;
}

enum class ExtraFilter { None, X86, Delta };

struct XzOptions {
  lzma_check check = LZMA_CHECK_CRC64;
  // 0: lzma_stream_encoder, one block without sizes in its header. Otherwise
  // lzma_stream_encoder_mt with two threads: blocks of this size, with both sizes in the headers.
  std::uint64_t blockSize = 0;
  std::uint32_t preset = 1;
  std::uint32_t dictSize = 0; // 0: the preset's
  ExtraFilter filter = ExtraFilter::None;
  // Offsets of the data at which the multi-threaded encoder ends a block early (LZMA_FULL_FLUSH):
  // blocks of unequal sizes.
  std::vector<std::size_t> cuts;
};

// DATA as one xz stream made by liblzma's encoders.
inline Bytes encodeXz(const Bytes &data, const XzOptions &options = {}) {
  lzma_options_lzma lzma2{};
  lzma_options_delta delta{};
  delta.type = LZMA_DELTA_TYPE_BYTE;
  delta.dist = 4;
  EXPECT_FALSE(lzma_lzma_preset(&lzma2, options.preset));
  if (options.dictSize)
    lzma2.dict_size = options.dictSize;
  std::vector<lzma_filter> filters;
  if (options.filter == ExtraFilter::X86)
    filters.push_back({LZMA_FILTER_X86, nullptr});
  if (options.filter == ExtraFilter::Delta)
    filters.push_back({LZMA_FILTER_DELTA, &delta});
  filters.push_back({LZMA_FILTER_LZMA2, &lzma2});
  filters.push_back({LZMA_VLI_UNKNOWN, nullptr});

  lzma_stream stream = LZMA_STREAM_INIT;
  if (options.blockSize) {
    lzma_mt mt{};
    mt.threads = 2;
    mt.block_size = options.blockSize;
    mt.filters = filters.data();
    mt.check = options.check;
    EXPECT_EQ(lzma_stream_encoder_mt(&stream, &mt), LZMA_OK);
  } else {
    EXPECT_EQ(lzma_stream_encoder(&stream, filters.data(), options.check), LZMA_OK);
  }
  Bytes out(data.size() + data.size() / 2 + 4096);
  stream.next_out = out.data();
  stream.avail_out = out.size();
  std::vector<std::size_t> ends = options.cuts;
  ends.push_back(data.size());
  std::size_t from = 0;
  for (std::size_t end : ends) {
    stream.next_in = data.data() + from;
    stream.avail_in = end - from;
    lzma_action action = end == data.size() ? LZMA_FINISH : LZMA_FULL_FLUSH;
    lzma_ret ret;
    while ((ret = lzma_code(&stream, action)) == LZMA_OK) {
    }
    EXPECT_EQ(ret, LZMA_STREAM_END);
    from = end;
  }
  out.resize(stream.total_out);
  lzma_end(&stream);
  return out;
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes &part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

// What liblzma's own decoder makes of BYTES, with libarchive's flags: a check type liblzma does
// not know (a reserved ID) is skipped, not verified, and the data still decoded.
struct OracleResult {
  Bytes out;
  lzma_ret ret = LZMA_OK;
  bool ok() const { return ret == LZMA_STREAM_END; }
};

inline OracleResult oracleDecode(llvm::ArrayRef<std::uint8_t> bytes, std::size_t maxOut = SIZE_MAX,
                                 std::uint64_t memlimit = UINT64_MAX) {
  OracleResult result;
  lzma_stream stream = LZMA_STREAM_INIT;
  result.ret = lzma_stream_decoder(&stream, memlimit, LZMA_CONCATENATED);
  if (result.ret != LZMA_OK)
    return result;
  stream.next_in = bytes.data();
  stream.avail_in = bytes.size();
  std::uint8_t buffer[65536];
  do {
    stream.next_out = buffer;
    stream.avail_out = sizeof buffer;
    result.ret = lzma_code(&stream, LZMA_FINISH);
    result.out.insert(result.out.end(), buffer, buffer + (sizeof buffer - stream.avail_out));
  } while (result.ret == LZMA_OK && result.out.size() < maxOut);
  lzma_end(&stream);
  return result;
}

// Where the parts of a valid input lie (offsets in the whole input, streams concatenated).
struct XzBlockPlace {
  std::uint64_t header = 0;    // the block header's first byte
  std::uint64_t data = 0;      // the compressed data's first byte (past the header)
  std::uint64_t check = 0;     // the check field's first byte
  std::uint64_t end = 0;       // past the check field
  std::uint64_t outputEnd = 0; // decompressed bytes of the whole input up to this block's end
};
struct XzStreamPlace {
  std::uint64_t header = 0, index = 0, footer = 0, end = 0, padding = 0;
};
struct XzLayout {
  std::vector<XzBlockPlace> blocks;
  std::vector<XzStreamPlace> streams;
  // The decompressed bytes that precede any damage at OFFSET: the blocks that end before it.
  std::uint64_t outputBefore(std::uint64_t offset) const {
    std::uint64_t out = 0;
    for (const XzBlockPlace &block : blocks)
      if (block.end <= offset)
        out = block.outputEnd;
    return out;
  }
};

inline XzLayout layoutOf(const Bytes &bytes) {
  XzLayout layout;
  lzma_index *index = nullptr;
  lzma_stream stream = LZMA_STREAM_INIT;
  EXPECT_EQ(lzma_file_info_decoder(&stream, &index, UINT64_MAX, bytes.size()), LZMA_OK);
  stream.next_in = bytes.data();
  stream.avail_in = bytes.size();
  // The whole file is there: the decoder needs no seek, only calls until it is done.
  lzma_ret ret;
  while ((ret = lzma_code(&stream, LZMA_RUN)) == LZMA_OK && stream.avail_in) {
  }
  lzma_end(&stream);
  EXPECT_EQ(ret, LZMA_STREAM_END) << "not a valid xz input";
  if (ret != LZMA_STREAM_END)
    return layout;
  lzma_index_iter iter;
  lzma_index_iter_init(&iter, index);
  while (!lzma_index_iter_next(&iter, LZMA_INDEX_ITER_STREAM)) {
    XzStreamPlace place;
    place.header = iter.stream.compressed_offset;
    place.end = place.header + iter.stream.compressed_size;
    place.footer = place.end - LZMA_STREAM_HEADER_SIZE;
    lzma_stream_flags footer;
    EXPECT_EQ(lzma_stream_footer_decode(&footer, bytes.data() + place.footer), LZMA_OK);
    place.index = place.footer - footer.backward_size;
    place.padding = iter.stream.padding;
    layout.streams.push_back(place);
  }
  lzma_index_iter_rewind(&iter);
  while (!lzma_index_iter_next(&iter, LZMA_INDEX_ITER_BLOCK)) {
    XzBlockPlace place;
    place.header = iter.block.compressed_file_offset;
    place.data = place.header + (bytes[place.header] + 1) * 4;
    place.end = place.header + iter.block.total_size;
    place.check = place.end - lzma_check_size(iter.stream.flags->check);
    place.outputEnd = iter.block.uncompressed_file_offset + iter.block.uncompressed_size;
    layout.blocks.push_back(place);
  }
  lzma_index_end(index, nullptr);
  return layout;
}

} // namespace pkgnote::testing
