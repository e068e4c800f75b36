// SPDX-License-Identifier: MIT
// Fuzzes the os-release(5) parser: a build root's /etc/os-release is input pkgnote does not
// control. It must never crash or hang, and every key it returns must be a plain identifier.
#include "fuzz_check.h"

#include "pkgnote/os_release.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  pkgnote::OsRelease release = pkgnote::parseOsRelease(text);
  for (const auto &[key, value] : release) {
    FUZZ_CHECK(!key.empty());
    FUZZ_CHECK(key.find_first_of("=\n") == std::string::npos);
    FUZZ_CHECK(value.size() <= size);
  }
  return 0;
}
