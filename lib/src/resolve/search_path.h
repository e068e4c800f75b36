// SPDX-License-Identifier: MIT
// The pieces of glibc's search path that depend on the file being loaded: the dynamic string
// tokens of DT_RUNPATH/DT_RPATH ($ORIGIN, $LIB, $PLATFORM, also as ${...}), and the multiarch
// and default directories for its class and machine.
#pragma once

#include "resolve/root_view.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

// What the tokens expand to for one file.
struct TokenValues {
  std::string origin;   // the directory of the file, inside the root
  std::string lib;      // "lib/x86_64-linux-gnu" on a multiarch root, else "lib64" or "lib"
  std::string platform; // AT_PLATFORM of the machine ("x86_64", "i686", "aarch64")
};

// ENTRY (one ':'-separated element of a DT_RUNPATH/DT_RPATH) with its tokens expanded; an
// unknown "$NAME" stays as written, as ld.so leaves it. std::nullopt for an element ld.so could
// not use from inside the root: empty, or relative (to a working directory pkgnote cannot know).
std::optional<std::string> expandSearchEntry(std::string_view entry, const TokenValues &values);

// The elements of PATH (':'-separated), expanded; unusable ones dropped.
std::vector<std::string> expandSearchPath(std::string_view path, const TokenValues &values);

// The Debian multiarch tuple of IDENTITY ("x86_64-linux-gnu", "i386-linux-gnu"), "" if unknown.
std::string multiarchTuple(const ElfIdentity &identity);

// AT_PLATFORM for IDENTITY's machine, "" if unknown.
std::string platformOf(const ElfIdentity &identity);

// The directories ld.so searches last, for IDENTITY: the multiarch ones (/lib/TUPLE,
// /usr/lib/TUPLE) where the tuple is known, lib64 ones for a 64-bit file (non-multiarch
// distributions' slibdir), then /lib and /usr/lib.
std::vector<std::string> defaultDirectories(const ElfIdentity &identity);

} // namespace pkgnote::detail
