// SPDX-License-Identifier: MIT
// verifyDeb (package_readers.h). A .deb is an ar archive: debian-binary, control.tar[.gz|.xz|.zst],
// data.tar[.gz|.xz|.zst|.bz2|.lzma] (deb(5)), in that order. Each tar is read as a nested
// libarchive archive whose input is the outer member's data blocks, so nothing is copied to disk
// or held whole in memory; the compression is recognised from the bytes.
#include "verify/archive_members.h"
#include "verify/deb_control.h"
#include "verify/package_readers.h"

#include "io/archive_input.h"
#include "io/byte_source.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace pkgnote::detail {
namespace {

// The control file is a few kilobytes; more is a hostile package.
constexpr std::size_t kMaxControlBytes = 1u << 20;

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive *)>;

// A member of the outer archive read as an archive of its own; the input outlives the archive.
struct Nested {
  std::unique_ptr<ArchiveInput> input;
  ArchivePtr archive{nullptr, archive_read_free};
  struct archive *get() const {
    return archive.get();
  }
};

// The member of OUTER being read, as a tar archive in any compression (xz decoded two blocks at a
// time, io/archive_input.h). Its input is the outer member's data blocks.
llvm::Expected<Nested> openNested(struct archive *outer, const std::string &package,
                                  const std::string &member) {
  Nested nested;
  nested.input = std::make_unique<ArchiveInput>(
      package, [outer, &package]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
        const void *block = nullptr;
        std::size_t size = 0;
        la_int64_t offset = 0;
        int status = archive_read_data_block(outer, &block, &size, &offset);
        if (status == ARCHIVE_EOF)
          return llvm::ArrayRef<std::uint8_t>();
        if (status < ARCHIVE_OK)
          return archiveError(outer, package, "ar archive");
        return llvm::ArrayRef<std::uint8_t>(static_cast<const std::uint8_t *>(block), size);
      });
  nested.archive.reset(archive_read_new());
  archive_read_support_format_tar(nested.get());
  if (nested.input->open(nested.get()) != ARCHIVE_OK)
    return archiveError(archive_errno(outer) ? outer : nested.get(), package, member);
  return nested;
}

llvm::Expected<PackageMetadata> readControl(struct archive *outer, const std::string &package,
                                            const std::string &member) {
  auto inner = openNested(outer, package, member);
  if (!inner)
    return inner.takeError();
  struct archive_entry *entry = nullptr;
  int status;
  while ((status = archive_read_next_header(inner->get(), &entry)) == ARCHIVE_OK ||
         status == ARCHIVE_WARN) {
    if (packagePath(archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "") !=
        "/control")
      continue;
    std::string text(kMaxControlBytes + 1, '\0');
    std::size_t have = 0;
    for (la_ssize_t got; have < text.size(); have += static_cast<std::size_t>(got)) {
      got = archive_read_data(inner->get(), text.data() + have, text.size() - have);
      if (got < 0)
        return archiveError(inner->get(), package, member);
      if (got == 0)
        break;
    }
    if (have > kMaxControlBytes)
      return inputError(package, member + ": control file larger than 1 MiB");
    text.resize(have);
    auto metadata = debExpectedMetadata(text);
    if (!metadata)
      return inputError(package, member + ": " + llvm::toString(metadata.takeError()));
    return metadata;
  }
  if (status != ARCHIVE_EOF)
    return archiveError(archive_errno(outer) ? outer : inner->get(), package, member);
  return inputError(package, member + ": no control file");
}

llvm::Error checkData(struct archive *outer, PackageChecker &checker, const std::string &member) {
  auto inner = openNested(outer, checker.package(), member);
  if (!inner)
    return inner.takeError();
  llvm::Error error = checkArchiveMembers(inner->get(), checker);
  if (!error)
    return llvm::Error::success();
  std::string message = problemAbout(std::move(error), checker.package());
  // When the outer archive failed under the inner one, its message says what happened.
  if (archive_errno(outer))
    return archiveError(outer, checker.package(), member);
  return inputError(checker.package(), member + ": " + message);
}

} // namespace

llvm::Error verifyDeb(const std::string &path, PackageChecker &checker) {
  ArchivePtr outer(archive_read_new(), archive_read_free);
  archive_read_support_format_ar(outer.get());
  if (archive_read_open_filename(outer.get(), path.c_str(), 64 << 10) != ARCHIVE_OK)
    return archiveError(outer.get(), path, "ar archive");
  bool haveControl = false, haveData = false;
  struct archive_entry *entry = nullptr;
  for (std::size_t index = 0;; ++index) {
    int status = archive_read_next_header(outer.get(), &entry);
    if (status == ARCHIVE_EOF)
      break;
    if (status < ARCHIVE_WARN)
      return archiveError(outer.get(), path, "ar archive");
    std::string member = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (index == 0 && member != "debian-binary")
      return inputError(path, "not a binary package: first member is not debian-binary");
    if (member.rfind("control.tar", 0) == 0 && !haveControl) {
      auto header = readControl(outer.get(), path, member);
      if (!header)
        return header.takeError();
      checker.setExpected(*header);
      haveControl = true;
    } else if (member.rfind("data.tar", 0) == 0 && !haveData) {
      if (!haveControl)
        return inputError(path, "data.tar member before control.tar");
      haveData = true;
      if (llvm::Error error = checkData(outer.get(), checker, member))
        return error;
    }
  }
  if (!haveData)
    return inputError(path, haveControl ? "no data.tar member" : "no control.tar member");
  return llvm::Error::success();
}

} // namespace pkgnote::detail
