// SPDX-License-Identifier: MIT
// The note's payload: one compact JSON object of string values, UTF-8 (never \u-escaped).
#pragma once

#include "pkgnote/metadata.h"
#include "pkgnote/result.h"

#include <string>
#include <string_view>

namespace pkgnote {

// Compact UTF-8 JSON in field order, e.g. {"type":"rpm","name":"qemu-user-static"}.
Result<std::string> toPayloadJson(const PackageMetadata &metadata);

// Parses a payload read from a note (without its terminating NUL). Rejects what is not an object,
// non-string values, duplicate keys, invalid UTF-8, and payloads over kMaxPayloadBytes; keeps
// unknown keys in their order.
Result<PackageMetadata> parsePayloadJson(std::string_view payload);

} // namespace pkgnote
