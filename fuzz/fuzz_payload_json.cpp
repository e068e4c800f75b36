// SPDX-License-Identifier: MIT
// Fuzzes the note payload decoder, which sees JSON from files nobody vouches for. What it accepts
// must respect the documented limits (string values only, no duplicate keys, at most
// kMaxPayloadBytes), and what the encoder (toPayloadJson) can write back must decode the same.
#include "fuzz_check.h"

#include "pkgnote/payload_json.h"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view payload(reinterpret_cast<const char *>(data), size);
  auto parsed = pkgnote::parsePayloadJson(payload);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.empty());
    FUZZ_CHECK(parsed.error().message.find('\n') == std::string::npos);
    return 0;
  }
  FUZZ_CHECK(size <= pkgnote::kMaxPayloadBytes);
  std::set<std::string> keys;
  for (const auto &field : parsed->fields)
    FUZZ_CHECK(keys.insert(field.first).second);

  // The reader is liberal (a note may carry an empty key or an escaped control character that
  // the writer refuses to produce); whatever the writer does accept must round-trip.
  auto json = pkgnote::toPayloadJson(*parsed);
  if (!json) {
    FUZZ_CHECK(json.error().message.find('\n') == std::string::npos);
    return 0;
  }
  auto again = pkgnote::parsePayloadJson(*json);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->fields == parsed->fields);
  // Encoding is canonical: a second round gives the same text.
  auto json2 = pkgnote::toPayloadJson(*again);
  FUZZ_CHECK(json2.ok() && *json2 == *json);
  return 0;
}
