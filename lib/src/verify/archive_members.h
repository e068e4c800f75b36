// SPDX-License-Identifier: MIT
// Checking the members of a package payload that libarchive reads (rpm's cpio, deb's data.tar):
// one forward pass, nothing written to disk. Only what a member's first bytes say is ELF
// ET_EXEC/ET_DYN is read further, through the ELF reader; the rest is skipped by libarchive.
#pragma once

#include "verify/package_checker.h"

#include "llvm/Support/Error.h"

#include <string>
#include <string_view>

struct archive;

namespace pkgnote::detail {

// Checks every member of A, whose next header is the first member, with CHECKER. An error when
// the archive itself is corrupt, truncated or too large (the members before it are counted).
llvm::Error checkArchiveMembers(struct archive *a, PackageChecker &checker);

// libarchive's last message on A, "'PACKAGE': WHAT: MESSAGE".
llvm::Error archiveError(struct archive *a, const std::string &package, std::string_view what);

} // namespace pkgnote::detail
