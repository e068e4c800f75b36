// SPDX-License-Identifier: MIT
// Fuzzes the three binfmt_misc parsers (registration strings of binfmt.d files, the kernel's entry
// files, binfmt-support format files): text from a build root or image, not from pkgnote. The
// first input byte picks the parser. Whatever is accepted must be what the kernel would accept
// (a name without '/', a mask as long as the magic, magic within the 256 bytes the kernel reads),
// and matching it against a file head must be safe whatever the head's length.
#include "fuzz_check.h"

#include "pkgnote/binfmt.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0)
    return 0;
  std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
  pkgnote::Result<pkgnote::BinfmtEntry> entry = pkgnote::Error{""};
  switch (data[0] % 3) {
  case 0:
    entry = pkgnote::parseBinfmtRegistration(text);
    break;
  case 1:
    entry = pkgnote::parseBinfmtKernelEntry("fuzz-entry", text);
    break;
  default:
    entry = pkgnote::parseBinfmtSupportFormat("fuzz-format", text);
    break;
  }
  if (!entry) {
    FUZZ_CHECK(!entry.error().message.empty());
    // No one-line check: these messages quote the offending field verbatim, newlines included;
    // the tool escapes control characters when it prints (tools/main.cpp).
    return 0;
  }
  FUZZ_CHECK(entry->name.find('/') == std::string::npos);
  if (!entry->byExtension) {
    FUZZ_CHECK(!entry->magic.empty());
    FUZZ_CHECK(entry->mask.empty() || entry->mask.size() == entry->magic.size());
    FUZZ_CHECK(std::uint64_t{entry->offset} + entry->magic.size() <= 256);
  }
  // The head of a file the entry is matched against may be any length up to the kernel's 256.
  std::vector<std::uint8_t> head(data, data + (size < 256 ? size : 256));
  for (std::size_t length : {std::size_t{0}, head.size() / 2, head.size()}) {
    std::vector<std::uint8_t> prefix(head.begin(), head.begin() + length);
    (void)pkgnote::binfmtMatches(*entry, prefix, "/fuzz/file.pyz");
  }
  (void)pkgnote::toString(entry->flags);
  return 0;
}
