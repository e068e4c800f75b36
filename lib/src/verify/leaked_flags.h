// SPDX-License-Identifier: MIT
// Finding the note's link flags where a package saved them (issue 24). A build that records its
// LDFLAGS in an installed file (Ruby's rbconfig.rb, Python's _sysconfigdata*.py, pkg-config
// files, CMake package files, Makefiles, libtool .la files) hands them to every later build that
// reads the file: Amazon Linux 2023's ruby saved `-Wl,-dT,<builddir>/.package_note-*.ld`, and
// every gem build after it failed for want of that file (fluent/fluent-package-builder issues 590
// and 877; Ubuntu LP 2069722, dh-package-notes' debian/.debhelper/notes.ld). Such a line gets the
// verdict leaked-flags.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pkgnote::detail {

// Bytes of a file scanned for leaked flags; the rest of a larger file is not looked at.
inline constexpr std::size_t kMaxLeakScanBytes = 16u << 20;

// Whether the file at PATH (inside the package) is one that records build flags, by its name:
// rbconfig.rb, _sysconfigdata*.py, *.pc, *.cmake, Makefile, Makefile.*, *.mk, *.la.
bool recordsBuildFlags(std::string_view path);

// The first line of TEXT that names a note file or carries the note's link flags, trimmed of
// surrounding blanks and cut to 240 bytes; nullopt when there is none (or TEXT is not text: it
// has a NUL byte). What counts:
//   .package_note-                      the rpm note file (pkgnote's macros, redhat-rpm-config's)
//   /.debhelper/pkgnote/package-note.   pkgnote's debhelper note file
//   /.debhelper/notes.ld                dh-package-notes' note file
//   --package-metadata                  the linker's own option (generate's ld-flag, specs forms)
//   -specs=...package[-_]note...        a specs file that adds the note
std::optional<std::string> findLeakedFlags(std::string_view text);

} // namespace pkgnote::detail
