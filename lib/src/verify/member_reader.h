// SPDX-License-Identifier: MIT
// Running the ELF reader of `pkgnote read` over one member of a package payload as it streams out
// of libarchive (io/decompress_stream.h's ArchiveDataStream, read/streamed_read.h's passes):
// forward only, within the member, inside the read budget, never seeking back. Headers and notes
// are nearly always in the first pages, so one pass captures them; the rest of the member is
// left for libarchive to skip.
#pragma once

#include "pkgnote/elf_report.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>

struct archive;

namespace pkgnote::detail {

class ForwardStream;

// Bytes of a member read before deciding whether it is ELF and checked (e_ident and e_type).
inline constexpr std::size_t kClassifyBytes = 64;

// The reader's outcome for one member: its report, or the member's own error (corrupt headers or
// note), a message that names neither the package nor the member.
struct MemberReport {
  std::optional<FileReport> report;
  std::string error;
};

// The member of A whose header was just read, called PATH inside PACKAGE. An llvm::Error from it
// means the payload itself failed (the package cannot be read on): "'PACKAGE': PATH: ...".
class MemberReader {
public:
  MemberReader(struct archive *a, std::string path, std::string package);
  ~MemberReader();

  // The member's first bytes (up to kClassifyBytes; fewer when it is shorter).
  llvm::Expected<std::string> head();
  // The ELF reader over the whole member, the head included; once, after head().
  llvm::Expected<MemberReport> readElf();

private:
  llvm::Error payloadError(llvm::Error error) const;

  std::unique_ptr<ForwardStream> stream_;
  std::string head_;
  std::string path_, package_;
};

} // namespace pkgnote::detail
