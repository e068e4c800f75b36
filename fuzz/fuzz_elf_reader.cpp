// SPDX-License-Identifier: MIT
// Fuzzes the ELF and core reader over a byte buffer (readElfImage, the same walker that reads files
// with pread). Seeds are real stamped binaries and cores of several architectures and the
// malformed corpus. Beyond never crashing, hanging or reading out of bounds: the JSON Lines
// report of whatever is accepted is one valid JSON line, the text report is printable, and the
// CycloneDX document (purls and CPEs from whatever the notes say) is valid JSON.
#include "fuzz_check.h"

#include "pkgnote/cyclonedx.h"
#include "pkgnote/elf_reader.h"
#include "pkgnote/elf_report.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  auto report = pkgnote::readElfImage(bytes, "fuzz-input");
  if (!report) {
    FUZZ_CHECK(!report.error().message.empty());
    return 0;
  }
  FUZZ_CHECK(report->path == "fuzz-input");
  std::string json = pkgnote::reportToJson(*report);
  FUZZ_CHECK(json.find('\n') == std::string::npos);
  FUZZ_CHECK(nlohmann::json::accept(json));
  auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_object() && parsed.value("path", "") == "fuzz-input");
  FUZZ_CHECK(parsed.contains("package") == !report->packages.empty());
  std::string text = pkgnote::reportToText(*report);
  FUZZ_CHECK(!text.empty() && text.back() == '\n');
  pkgnote::CycloneDxOptions options;
  options.reproducible = true;
  auto bom = nlohmann::json::parse(pkgnote::reportsToCycloneDx({*report}, options), nullptr,
                                   /*allow_exceptions=*/false);
  FUZZ_CHECK(bom.is_object() && bom["components"].is_array());
  FUZZ_CHECK(report->stamped() == (bom["dependencies"].size() > 0));
  return 0;
}
