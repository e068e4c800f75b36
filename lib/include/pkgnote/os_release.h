// SPDX-License-Identifier: MIT
// os-release(5) and system-release-cpe: where `--os-cpe auto` finds the build root's identity.
#pragma once

#include "pkgnote/result.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pkgnote {

// KEY=VALUE assignments of an os-release file, with shell quoting and escapes undone.
using OsRelease = std::map<std::string, std::string>;

OsRelease parseOsRelease(std::string_view text);

struct OsIdentity {
  std::optional<std::string> cpe;                  // from system-release-cpe or CPE_NAME
  std::string cpeSource;                           // the file cpe was read from (ROOT/...)
  std::optional<std::string> id, versionId;        // ID and VERSION_ID
};

// Reads ROOT/usr/lib/system-release-cpe, ROOT/etc/os-release, ROOT/usr/lib/os-release in that
// order. An error when ROOT is unreadable or none of the files exists.
Result<OsIdentity> readOsIdentity(const std::string &root);

} // namespace pkgnote
