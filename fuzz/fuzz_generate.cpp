// SPDX-License-Identifier: MIT
// Fuzzes the generator: metadata validation (buildMetadata) and every renderer. Values come from
// spec files and environment variables, so the properties checked are the promises:
// every accepted request renders to a note whose decoded JSON equals the request's fields, and no
// value changes the meaning of what is written: a linker script differs from the script for "{}"
// only in its LONG()/BYTE() data, and the ld flag unquotes to exactly the JSON.
#include "fuzz_check.h"
#include "render_oracle.h"

#include "pkgnote/metadata.h"
#include "pkgnote/note_encoding.h"
#include "pkgnote/payload_json.h"
#include "pkgnote/render.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace {

std::optional<std::string> maybeString(FuzzedDataProvider &input) {
  if (!input.ConsumeBool())
    return std::nullopt;
  return input.ConsumeRandomLengthString(256);
}

pkgnote::MetadataRequest makeRequest(FuzzedDataProvider &input) {
  pkgnote::MetadataRequest request;
  request.type = maybeString(input);
  request.name = maybeString(input);
  request.version = maybeString(input);
  request.architecture = maybeString(input);
  request.osCpe = maybeString(input);
  request.os = maybeString(input);
  request.osVersion = maybeString(input);
  request.appCpe = maybeString(input);
  request.debugInfoUrl = maybeString(input);
  request.rpm = maybeString(input);
  for (int n = input.ConsumeIntegralInRange(0, 4); n > 0; --n)
    request.set.push_back(input.ConsumeRandomLengthString(256));
  // "auto" must not read the fuzzing machine's own os-release: an absent root is an error.
  request.root = "/nonexistent-pkgnote-fuzz-root";
  return request;
}

// Without --rpm (which fills several keys), an accepted request keeps each value verbatim.
void checkValuesKept(const pkgnote::MetadataRequest &request, const pkgnote::PackageMetadata &md) {
  const std::pair<const char *, const std::optional<std::string> *> given[] = {
      {"type", &request.type},       {"name", &request.name},         {"version", &request.version},
      {"architecture", &request.architecture}, {"osCpe", &request.osCpe}, {"os", &request.os},
      {"osVersion", &request.osVersion}, {"appCpe", &request.appCpe},
      {"debugInfoUrl", &request.debugInfoUrl}};
  for (const auto &[key, value] : given)
    if (*value) {
      const std::string *kept = md.find(key);
      FUZZ_CHECK(kept && *kept == **value);
    }
}

void checkRenderers(const std::string &json, FuzzedDataProvider &input) {
  pkgnote::RenderOptions options;
  options.readonly = input.ConsumeBool();
  options.endian = input.ConsumeBool() ? pkgnote::Endian::Big : pkgnote::Endian::Little;

  auto note = pkgnote::render(json, pkgnote::OutputFormat::Note, options);
  FUZZ_CHECK(note.ok());
  FUZZ_CHECK(fuzz::decodeNote(*note, options.endian) == json);

  auto plain = pkgnote::render(json, pkgnote::OutputFormat::Json, options);
  FUZZ_CHECK(plain.ok());
  FUZZ_CHECK(plain->rfind(json, 0) == 0);

  for (auto format : {pkgnote::OutputFormat::LinkerScript, pkgnote::OutputFormat::LldScript}) {
    auto script = pkgnote::render(json, format, options);
    auto empty = pkgnote::render("{}", format, options);
    FUZZ_CHECK(script.ok() && empty.ok());
    FUZZ_CHECK(fuzz::scriptSkeleton(*script) == fuzz::scriptSkeleton(*empty));
    FUZZ_CHECK(fuzz::decodeNote(fuzz::scriptData(*script, options.endian), options.endian) == json);
  }

  auto flag = pkgnote::render(json, pkgnote::OutputFormat::LdFlag, options);
  FUZZ_CHECK(flag.ok());
  FUZZ_CHECK(fuzz::ldFlagMetadata(*flag) == json);

  auto specs = pkgnote::render(json, pkgnote::OutputFormat::Specs, options);
  auto emptySpecs = pkgnote::render("{}", pkgnote::OutputFormat::Specs, options);
  // gcc's specs reader ends a line at '#' even when escaped, so such payloads are refused.
  if (json.find('#') != std::string::npos) {
    FUZZ_CHECK(!specs.ok() && specs.error().message.find('\n') == std::string::npos);
    return;
  }
  FUZZ_CHECK(specs.ok() && emptySpecs.ok());
  FUZZ_CHECK(fuzz::specsArgument(*specs) == "--package-metadata=" + json);
  // Nothing but the argument line depends on the metadata.
  FUZZ_CHECK(fuzz::specsWithoutArgument(*specs) == fuzz::specsWithoutArgument(*emptySpecs));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  pkgnote::MetadataRequest request = makeRequest(input);
  auto metadata = pkgnote::buildMetadata(request);
  if (!metadata) {
    FUZZ_CHECK(!metadata.error().message.empty());
    FUZZ_CHECK(metadata.error().message.find('\n') == std::string::npos);
    return 0;
  }
  auto json = pkgnote::toPayloadJson(*metadata);
  FUZZ_CHECK(json.ok());
  FUZZ_CHECK(json->size() <= pkgnote::kMaxPayloadBytes);
  if (!request.rpm)
    checkValuesKept(request, *metadata);
  auto decoded = pkgnote::parsePayloadJson(*json);
  FUZZ_CHECK(decoded.ok());
  FUZZ_CHECK(decoded->fields == metadata->fields);
  checkRenderers(*json, input);
  return 0;
}
