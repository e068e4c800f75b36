// SPDX-License-Identifier: MIT
// Pins the byte layout of the package note in both byte orders, for every payload length modulo 4,
// against a layout written out by hand from the gABI note format.
#include "pkgnote/note_encoding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pkgnote {
namespace {

std::vector<std::uint8_t> word(std::uint32_t value, Endian endian) {
  std::vector<std::uint8_t> bytes = {std::uint8_t(value), std::uint8_t(value >> 8),
                                     std::uint8_t(value >> 16), std::uint8_t(value >> 24)};
  if (endian == Endian::Big)
    return {bytes[3], bytes[2], bytes[1], bytes[0]};
  return bytes;
}

// The expected note, assembled independently of the encoder.
std::vector<std::uint8_t> expectedNote(const std::string &json, Endian endian) {
  std::vector<std::uint8_t> out;
  for (auto w :
       {word(4, endian), word(std::uint32_t(json.size() + 1), endian), word(0xcafe1a7e, endian)})
    out.insert(out.end(), w.begin(), w.end());
  out.insert(out.end(), {'F', 'D', 'O', 0});
  out.insert(out.end(), json.begin(), json.end());
  out.push_back(0);
  while (out.size() % 4 != 0)
    out.push_back(0);
  return out;
}

TEST(NoteEncoding, SmallPayloadLittleEndianExactBytes) {
  std::vector<std::uint8_t> expected = {
      0x04, 0x00, 0x00, 0x00, // namesz
      0x08, 0x00, 0x00, 0x00, // descsz: 7 bytes of JSON and the NUL
      0x7e, 0x1a, 0xfe, 0xca, // type
      'F',  'D',  'O',  0x00, // name
      '{',  '"',  'a',  '"',  ':', '1', '}', 0x00};
  EXPECT_EQ(encodePackageNote("{\"a\":1}", Endian::Little), expected);
}

TEST(NoteEncoding, SmallPayloadBigEndianExactBytes) {
  std::vector<std::uint8_t> expected = {0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0xca, 0xfe,
                                        0x1a, 0x7e, 'F',  'D',  'O',  0x00, '{',  '}',  0x00, 0x00};
  EXPECT_EQ(encodePackageNote("{}", Endian::Big), expected);
}

TEST(NoteEncoding, DescszCountsNulButNotPaddingAtEveryLengthModFour) {
  for (Endian endian : {Endian::Little, Endian::Big}) {
    std::string json = "{\"k\":\"\"}";
    for (int extra = 0; extra < 8; ++extra, json.insert(json.size() - 2, "x")) {
      SCOPED_TRACE(json + (endian == Endian::Big ? " big" : " little"));
      std::vector<std::uint8_t> note = encodePackageNote(json, endian);
      EXPECT_EQ(note, expectedNote(json, endian));
      EXPECT_EQ(note.size() % 4, 0u);
      EXPECT_EQ(note.size(), 16 + ((json.size() + 1 + 3) / 4) * 4);
      EXPECT_EQ(note[16 + json.size()], 0) << "payload must be NUL-terminated";
    }
  }
}

TEST(NoteEncoding, KeepsNonAsciiBytesVerbatim) {
  std::string json = "{\"name\":\"caf\xc3\xa9\"}";
  std::vector<std::uint8_t> note = encodePackageNote(json, Endian::Little);
  EXPECT_EQ(std::string(note.begin() + 16, note.begin() + 16 + long(json.size())), json);
}

} // namespace
} // namespace pkgnote
