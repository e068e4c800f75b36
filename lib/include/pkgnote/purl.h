// SPDX-License-Identifier: MIT
// Package URLs (https://github.com/package-url/purl-spec) and the operating system a package note
// names, as the CycloneDX writer (cyclonedx.h) needs them. The purl type definitions decide
// where they can (rpm epochs as the `epoch` qualifier, Debian and alpm epochs kept in the
// version); syft's ELF package-note cataloger, whose purls grype matches, where they leave a
// choice (namespace = the distribution's ID in lower case, `distro=ID-VERSION`).
#pragma once

#include "pkgnote/cpe.h"
#include "pkgnote/metadata.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pkgnote {

// The operating system a note was built for: `os`/`osVersion` (os-release ID and VERSION_ID),
// else the product and version of `osCpe`. id is lower case; cpe is `osCpe` as written.
struct PackageOs {
  std::string id, version, cpe;
  bool operator<(const PackageOs &other) const;
  bool operator==(const PackageOs &other) const;
};
std::optional<PackageOs> osOfPackage(const PackageMetadata &metadata);

struct PackageUrl {
  std::string type;      // rpm, deb, apk, alpm; anything else is "generic"
  std::string nameSpace; // the distribution; empty for generic
  std::string name;
  std::string version;
  std::vector<std::pair<std::string, std::string>> qualifiers; // sorted by key, values non-empty
};

// The purl of a package note: type from `type` (rpm, deb, apk, alpm; any other type, or none,
// gives `generic`), namespace from osOfPackage, `arch` from `architecture`, `distro` ID-VERSION,
// `epoch` split off an rpm version "E:V-R"; deb, apk and alpm names in lower case, as their type
// definitions ask. std::nullopt when the note has no name.
std::optional<PackageUrl> packageUrlOf(const PackageMetadata &metadata);

// The canonical string: `pkg:TYPE/NAMESPACE/NAME@VERSION?KEY=VALUE&...`. Every component is
// percent-encoded (UTF-8, upper-case hex) except A-Z a-z 0-9 . - _ ~ and the colon, which the
// purl specification ("Character encoding") says must never be encoded; so '+' is %2B.
std::string toString(const PackageUrl &purl);

// Percent-encodes TEXT, keeping the unreserved characters and those in KEEP.
std::string percentEncode(std::string_view text, std::string_view keep = {});

} // namespace pkgnote
