// SPDX-License-Identifier: MIT
// Running the ELF reader of `pkgnote read` over one member of a package payload, as it streams
// out of libarchive: forward only, within the member, inside the read budget.
#pragma once

#include "pkgnote/elf_report.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

struct archive;

namespace pkgnote::detail {

// Bytes of a member read before deciding whether it is ELF and checked (e_ident and e_type).
inline constexpr std::size_t kClassifyBytes = 64;

// The reader's outcome for one member: its report, or the member's own error (corrupt headers or
// note), a message that names neither the package nor the member.
struct MemberReport {
  std::optional<FileReport> report;
  std::string error;
};

// Reads the ELF member whose first bytes, HEAD, were already taken from A. An llvm::Error only
// when the payload itself fails (the package cannot be read on).
llvm::Expected<MemberReport> readMemberElf(struct archive *a, std::string head,
                                           const std::string &path, const std::string &package);

} // namespace pkgnote::detail
