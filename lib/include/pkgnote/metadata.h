// SPDX-License-Identifier: MIT
// The package metadata model: an ordered list of string key/value pairs, the well-known keys of
// the freedesktop "Package Metadata for Executable Files" spec first, in the order pkgnote writes
// them, then further keys in the order they were given.
#pragma once

#include "pkgnote/result.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pkgnote {

// Well-known keys, in the order pkgnote writes them (see shared FORMAT.md).
inline constexpr std::array<std::string_view, 9> kWellKnownKeys = {
    "type", "name", "version", "architecture", "osCpe", "os", "osVersion", "appCpe", "debugInfoUrl"};

// The spec caps the note's JSON payload; pkgnote refuses anything larger.
inline constexpr std::size_t kMaxPayloadBytes = 64 * 1024;

struct PackageMetadata {
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of KEY, or nullptr.
  const std::string *find(std::string_view key) const;

  const std::string *type() const { return find("type"); }
  const std::string *name() const { return find("name"); }
  const std::string *version() const { return find("version"); }
  const std::string *architecture() const { return find("architecture"); }
  const std::string *osCpe() const { return find("osCpe"); }
};

// What the metadata options of `pkgnote generate` ask for. Unset optionals were not given.
struct MetadataRequest {
  std::optional<std::string> type, name, version, architecture;
  std::optional<std::string> osCpe; // a CPE, or "auto" to read it from the root
  std::optional<std::string> os, osVersion, appCpe, debugInfoUrl;
  std::vector<std::string> set;      // "KEY=VALUE", in the order given
  std::optional<std::string> rpm;    // NEVRA, fills type/name/version/architecture
  std::string root = "/";            // where "auto" reads os-release files
};

// Builds and validates the metadata a request describes: values must be non-empty UTF-8 without
// control characters, no key may be given twice, and the encoded payload must fit kMaxPayloadBytes.
Result<PackageMetadata> buildMetadata(const MetadataRequest &request);

// Checks one value (or key) for what the spec forbids; WHAT names it in the message ("--name").
Status validateValue(std::string_view what, std::string_view value);

} // namespace pkgnote
