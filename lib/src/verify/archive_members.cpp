// SPDX-License-Identifier: MIT
// The member loop over a libarchive payload (archive_members.h).
//
// Hard links are one file. A tar hard link entry names its target and has no data; cpio (newc,
// rpm's) repeats the inode and puts the data on the last link, whose entry libarchive marks as a
// hard link to the first, data-less, name. So a member is only read when it has data, and a
// member with data that names an already checked file is not read twice.
#include "verify/archive_members.h"

#include "io/byte_source.h"
#include "verify/leaked_flags.h"
#include "verify/member_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cctype>
#include <optional>
#include <set>

namespace pkgnote::detail {
namespace {

bool hasControlBytes(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return true;
  return false;
}

// Reads the member of A whose header was just read (up to kMaxLeakScanBytes) and gives it the
// verdict leaked-flags when a line leaks the note's flags. An error when the payload fails.
llvm::Error scanForLeakedFlags(struct archive *a, const std::string &path,
                               PackageChecker &checker) {
  std::string text;
  char buffer[16384];
  for (;;) {
    la_ssize_t got = archive_read_data(a, buffer, sizeof buffer);
    if (got < 0)
      return archiveError(a, checker.package(), path);
    if (got == 0)
      break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() >= kMaxLeakScanBytes) {
      text.resize(kMaxLeakScanBytes);
      break; // libarchive skips the rest
    }
  }
  if (std::optional<std::string> line = findLeakedFlags(text))
    checker.leakedFlags(path, std::move(*line));
  return llvm::Error::success();
}

} // namespace

llvm::Error archiveError(struct archive *a, const std::string &package, std::string_view what) {
  // libarchive's messages start with a capital ("Truncated ar archive"); pkgnote's do not.
  std::string text = archive_error_string(a) ? archive_error_string(a) : "corrupt or truncated data";
  if (text.size() > 1 && std::isupper(static_cast<unsigned char>(text[0])) &&
      !std::isupper(static_cast<unsigned char>(text[1])))
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return inputError(package, llvm::Twine(what) + ": " + text);
}

llvm::Error checkArchiveMembers(struct archive *a, PackageChecker &checker) {
  const std::string &package = checker.package();
  std::set<std::string> checkedLinks; // names of checked files that have further hard links
  std::uint64_t members = 0;
  for (;;) {
    struct archive_entry *entry = nullptr;
    int status = archive_read_next_header(a, &entry);
    if (status == ARCHIVE_EOF)
      return llvm::Error::success();
    if (status < ARCHIVE_WARN)
      return archiveError(a, package, "payload");
    if (++members > kMaxPackageMembers)
      return inputError(package, "payload: more than " + std::to_string(kMaxPackageMembers) +
                                     " members");
    const char *name = archive_entry_pathname(entry);
    if (!name)
      return inputError(package, "payload: member " + std::to_string(members) + " has no name");
    std::string path = packagePath(name);
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) {
      checker.skip();
      continue;
    }
    if (type != AE_IFREG || archive_entry_size(entry) == 0)
      continue; // directories, devices, and hard links whose data is elsewhere
    const char *linkTarget = archive_entry_hardlink(entry);
    if (linkTarget && checkedLinks.count(packagePath(linkTarget)))
      continue;
    if (hasControlBytes(path)) {
      checker.fileError(path, "member name contains control bytes");
      continue;
    }
    if (recordsBuildFlags(path) && !checker.skippedByPath(path)) {
      if (llvm::Error error = scanForLeakedFlags(a, path, checker))
        return error;
      continue;
    }
    MemberReader member(a, path, package);
    auto head = member.head();
    if (!head)
      return head.takeError();
    ElfClassification kind = classifyElf(*head);
    if (kind == ElfClassification::NotElf)
      continue;
    if (kind == ElfClassification::Truncated) {
      checker.fileError(path, "truncated ELF header");
      continue;
    }
    if (kind == ElfClassification::Skipped || checker.skippedByPath(path)) {
      checker.skip();
      continue;
    }
    if (archive_entry_nlink(entry) > 1 || linkTarget) {
      checkedLinks.insert(path);
      if (linkTarget)
        checkedLinks.insert(packagePath(linkTarget));
    }
    // A payload error ends the package; an ELF error is the member's own.
    llvm::Expected<MemberReport> read = member.readElf();
    if (!read)
      return read.takeError();
    if (read->report)
      checker.judge(path, std::move(*read->report));
    else if (!read->error.empty())
      checker.fileError(path, read->error);
  }
}

} // namespace pkgnote::detail
