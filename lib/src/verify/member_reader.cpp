// SPDX-License-Identifier: MIT
// readMemberElf (member_reader.h).
#include "verify/member_reader.h"

#include "pkgnote/elf_reader.h"
#include "verify/archive_members.h"

#include <archive.h>

namespace pkgnote::detail {

// Headers, program headers and note segments of real executables and libraries lie in their
// first pages; a note past this is reported as the reader's range error.
static constexpr std::size_t kMemberBytes = 256u << 10;

llvm::Expected<MemberReport> readMemberElf(struct archive *a, std::string head,
                                           const std::string &path, const std::string &package) {
  std::string bytes = std::move(head);
  std::size_t have = bytes.size();
  bytes.resize(kMemberBytes);
  while (have < bytes.size()) {
    la_ssize_t got = archive_read_data(a, bytes.data() + have, bytes.size() - have);
    if (got < 0)
      return archiveError(a, package, "payload");
    if (got == 0)
      break;
    have += static_cast<std::size_t>(got);
  }
  bytes.resize(have);
  Result<FileReport> report = readElfImage(bytes, path);
  MemberReport member;
  if (report) {
    member.report = std::move(*report);
    return member;
  }
  std::string prefix = "'" + path + "': ";
  member.error = report.error().message;
  if (member.error.compare(0, prefix.size(), prefix) == 0)
    member.error.erase(0, prefix.size());
  return member;
}

} // namespace pkgnote::detail
