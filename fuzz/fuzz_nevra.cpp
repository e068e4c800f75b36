// SPDX-License-Identifier: MIT
// Fuzzes the NEVRA parser behind `--rpm`: whatever it accepts must have non-empty name, version,
// release and arch, and must reassemble to exactly the text it came from.
#include "fuzz_check.h"

#include "pkgnote/nevra.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  auto nevra = pkgnote::parseNevra(text);
  if (!nevra) {
    FUZZ_CHECK(!nevra.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(!nevra->name.empty() && !nevra->version.empty());
  FUZZ_CHECK(!nevra->release.empty() && !nevra->arch.empty());
  std::string rebuilt = nevra->name + "-";
  if (nevra->epoch)
    rebuilt += *nevra->epoch + ":";
  rebuilt += nevra->version + "-" + nevra->release + "." + nevra->arch;
  FUZZ_CHECK(rebuilt == text);
  return 0;
}
