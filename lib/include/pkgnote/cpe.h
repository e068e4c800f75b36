// SPDX-License-Identifier: MIT
// CPE names (NIST's Common Platform Enumeration), as the note's osCpe and appCpe carry them:
// the CPE 2.2 URI (`cpe:/o:fedoraproject:fedora:40`, what Fedora's system-release-cpe holds) and
// the CPE 2.3 formatted string (`cpe:2.3:o:fedoraproject:fedora:33:*:*:*:*:*:*:*`, NISTIR 7695),
// both of which UAPI.8 writes. parseCpe reads what others wrote and is lenient; checkCpe is what
// `pkgnote generate` holds a value to before writing it.
#pragma once

#include "pkgnote/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace pkgnote {

// The fields of a CPE name that pkgnote uses, unescaped; "*" and "-" (ANY, NA) become empty.
struct CpeName {
  char part = 0; // 'a', 'o' or 'h'
  std::string vendor, product, version;
};

// Parses a CPE 2.2 URI (`cpe:/o:fedoraproject:fedora:40`, percent-encoded) or a CPE 2.3
// formatted string (`cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*`, backslash-escaped).
// std::nullopt when TEXT is neither.
std::optional<CpeName> parseCpe(std::string_view text);

// Ok when TEXT is a well-formed CPE 2.2 URI (`cpe:/` and up to seven components, part a, h or
// o, each component unreserved characters or %XX escapes) or a CPE 2.3 formatted string
// (`cpe:2.3:` and exactly eleven components, each `*`, `-` or a value of letters, digits, `_`,
// `-`, `.` and backslash-quoted punctuation, with `*`/`?` wildcards only at its ends).
// Otherwise an error saying what is wrong ("component 3 (product): ..."), without the option.
Status checkCpe(std::string_view text);

} // namespace pkgnote
