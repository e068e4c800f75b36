// SPDX-License-Identifier: MIT
// The payload JSON: exact compact UTF-8 text on the way out; on the way in, a flat object of
// strings in order, with hostile inputs (duplicates, nesting, bad UTF-8, oversize) rejected.
#include "pkgnote/payload_json.h"

#include <gtest/gtest.h>

using pkgnote::PackageMetadata;
using pkgnote::parsePayloadJson;
using pkgnote::toPayloadJson;

namespace {

std::string parseError(std::string_view payload) {
  auto metadata = parsePayloadJson(payload);
  return metadata ? "parsed" : metadata.error().message;
}

} // namespace

TEST(PayloadJson, EncodesCompactUtf8WithoutEscapingNonAscii) {
  PackageMetadata metadata{{{"type", "deb"},
                            {"name", "caf\xc3\xa9-\xe2\x9c\x93"},
                            {"note", "quote \" backslash \\ slash / apostrophe '"}}};
  auto json = toPayloadJson(metadata);
  ASSERT_TRUE(json) << json.error().message;
  EXPECT_EQ(*json, "{\"type\":\"deb\",\"name\":\"caf\xc3\xa9-\xe2\x9c\x93\","
                   "\"note\":\"quote \\\" backslash \\\\ slash / apostrophe '\"}");
}

TEST(PayloadJson, EncodesInFieldOrderNotAlphabetically) {
  PackageMetadata metadata{{{"z", "1"}, {"a", "2"}, {"m", "3"}}};
  auto json = toPayloadJson(metadata);
  ASSERT_TRUE(json);
  EXPECT_EQ(*json, R"({"z":"1","a":"2","m":"3"})");
}

TEST(PayloadJson, EncodeRejectsWhatTheSpecForbids) {
  auto duplicate = toPayloadJson(PackageMetadata{{{"a", "1"}, {"a", "2"}}});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().message, "duplicate key 'a'");
  auto control = toPayloadJson(PackageMetadata{{{"a", "x\ny"}}});
  ASSERT_FALSE(control);
  EXPECT_EQ(control.error().message, "value of 'a': control character U+000A at byte 1");
  auto badKey = toPayloadJson(PackageMetadata{{{"ok", "1"}, {"\xff", "1"}}});
  ASSERT_FALSE(badKey);
  EXPECT_EQ(badKey.error().message, "key 1: invalid UTF-8 byte 0xff at byte 0");
  auto emptyKey = toPayloadJson(PackageMetadata{{{"", "1"}}});
  ASSERT_FALSE(emptyKey);
  EXPECT_EQ(emptyKey.error().message, "key 0: empty key");
}

TEST(PayloadJson, RoundTripsKeepingUnknownKeysInOrder) {
  PackageMetadata metadata{{{"zeta", "1"}, {"type", "rpm"}, {"alpha", "\xf0\x9f\x98\x80"}}};
  auto json = toPayloadJson(metadata);
  ASSERT_TRUE(json);
  auto parsed = parsePayloadJson(*json);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->fields, metadata.fields);
}

TEST(PayloadJson, ParsesSpacedAndEscapedJson) {
  auto parsed = parsePayloadJson(" { \"name\" : \"a\\u00e9\\n\\\"\" ,\n\"type\":\"rpm\" } ");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->fields, (std::vector<std::pair<std::string, std::string>>{
                                {"name", "a\xc3\xa9\n\""}, {"type", "rpm"}}));
}

TEST(PayloadJson, LeavesNoteTerminatorAndPaddingToTheCaller) {
  // The note reader strips the NUL and padding (descsz counts them or not, by linker); a NUL
  // inside what it hands over is not JSON, and must not hide what follows it.
  EXPECT_EQ(parseError(std::string_view("{\"a\":\"b\"}\0\0\0", 12)), "payload: NUL byte at byte 9");
  EXPECT_EQ(parseError(std::string_view("{\"a\":\"b\"}\0{\"a\":1}", 17)),
            "payload: NUL byte at byte 9");
}

TEST(PayloadJson, AcceptsEmptyObject) {
  auto parsed = parsePayloadJson("{}");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->fields.empty());
}

TEST(PayloadJson, RejectsDuplicateKeys) {
  EXPECT_EQ(parseError(R"({"name":"a","type":"rpm","name":"b"})"), "payload: duplicate key 'name'");
}

TEST(PayloadJson, RejectsNonObjects) {
  EXPECT_EQ(parseError("[]"), "payload: not a JSON object");
  EXPECT_EQ(parseError(R"("name")"), "payload: not a JSON object");
  EXPECT_EQ(parseError("42"), "payload: not a JSON object");
  EXPECT_EQ(parseError("null"), "payload: not a JSON object");
}

TEST(PayloadJson, RejectsNonStringValues) {
  EXPECT_EQ(parseError(R"({"a":"x","b":1})"), "payload: value of 'b' is a number, not a string");
  EXPECT_EQ(parseError(R"({"a":-1.5})"), "payload: value of 'a' is a number, not a string");
  EXPECT_EQ(parseError(R"({"a":true})"), "payload: value of 'a' is a boolean, not a string");
  EXPECT_EQ(parseError(R"({"a":null})"), "payload: value of 'a' is null, not a string");
  EXPECT_EQ(parseError(R"({"a":["x"]})"), "payload: value of 'a' is an array, not a string");
  EXPECT_EQ(parseError(R"({"a":{"b":"c"}})"), "payload: value of 'a' is an object, not a string");
}

TEST(PayloadJson, StopsAtFirstLevelOfDeepNesting) {
  std::string deep = "{\"a\":" + std::string(60000, '[');
  EXPECT_EQ(parseError(deep), "payload: value of 'a' is an array, not a string");
}

TEST(PayloadJson, RejectsInvalidUtf8BeforeParsing) {
  EXPECT_EQ(parseError("{\"a\":\"\xff\"}"), "payload: invalid UTF-8 byte 0xff at byte 6");
  EXPECT_EQ(parseError("{\"a\":\"\xc0\xaf\"}"),
            "payload: overlong UTF-8 encoding of U+002F at byte 6");
  EXPECT_EQ(parseError("{\"a\":\"\xed\xa0\x80\"}"),
            "payload: UTF-16 surrogate U+D800 in UTF-8 at byte 6");
}

TEST(PayloadJson, RejectsLoneSurrogateEscape) {
  EXPECT_EQ(parseError(R"({"a":"\ud800"})"), "payload: invalid JSON at byte 12");
}

TEST(PayloadJson, RejectsMalformedJson) {
  EXPECT_EQ(parseError(""), "payload: invalid JSON at byte 0");
  EXPECT_EQ(parseError(R"({"a":"b"} x)"), "payload: invalid JSON at byte 10");
  EXPECT_EQ(parseError(R"({"a":"b",})"), "payload: invalid JSON at byte 9");
  EXPECT_EQ(parseError(R"({"a":"b")"), "payload: invalid JSON at byte 8");
  EXPECT_EQ(parseError("{\"a\":\"x\ny\"}"), "payload: invalid JSON at byte 7");
}

TEST(PayloadJson, RejectsPayloadOver64KiBBeforeParsing) {
  std::string big = "{\"a\":\"" + std::string(pkgnote::kMaxPayloadBytes - 7, 'x') + "\"}";
  EXPECT_EQ(big.size(), pkgnote::kMaxPayloadBytes + 1);
  EXPECT_EQ(parseError(big), "payload is 65537 bytes, over the 65536-byte limit");
  big.erase(6, 1);
  EXPECT_EQ(parseError(big), "parsed");
}

// Found by fuzz_payload_json: a key with an escaped newline was echoed raw into the message.
TEST(PayloadJson, ErrorMessagesShowControlCharactersOfKeysEscaped) {
  EXPECT_EQ(parseError(R"({"":"deb)\n","osV+reb)\n":1"})"),
            R"(payload: value of 'osV+reb)\x0a' is a number, not a string)");
  EXPECT_EQ(parseError(R"({"a\tb":"1","a\tb":"2"})"), R"(payload: duplicate key 'a\x09b')");
}
