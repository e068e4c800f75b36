// SPDX-License-Identifier: MIT
// CpioHeaderGuard and openGuardedCpio (cpio_guard.h).
#include "verify/cpio_guard.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string_view>

namespace pkgnote::detail {
namespace {

// newc's fields are 8 hex digits; nullopt for anything else.
std::optional<std::uint64_t> hexField(const char *text) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    char c = text[i];
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
    if (digit < 0)
      return std::nullopt;
    value = value * 16 + static_cast<std::uint64_t>(digit);
  }
  return value;
}

std::uint64_t padTo4(std::uint64_t n) { return (4 - n % 4) % 4; }

} // namespace

llvm::Error CpioHeaderGuard::checkHeader() {
  std::string_view magic(header_.data(), 6);
  auto mode = hexField(header_.data() + 14), fileSize = hexField(header_.data() + 54),
       nameSize = hexField(header_.data() + 94);
  if ((magic != "070701" && magic != "070702") || !mode || !fileSize || !nameSize) {
    done_ = true; // the trailer's padding, or something libarchive will name
    return llvm::Error::success();
  }
  ++members_;
  auto refuse = [&](const char *what, std::uint64_t size) {
    return llvm::createStringError(std::errc::file_too_large,
                                   "cpio member %llu: its header states a %s of %llu bytes "
                                   "(at most %llu)",
                                   static_cast<unsigned long long>(members_), what,
                                   static_cast<unsigned long long>(size),
                                   static_cast<unsigned long long>(kMaxCpioPathBytes));
  };
  if (*nameSize > kMaxCpioPathBytes)
    return refuse("name", *nameSize);
  if ((*mode & 0170000) == 0120000 && *fileSize > kMaxCpioPathBytes)
    return refuse("symbolic link target", *fileSize);
  skip_ = *nameSize + padTo4(kHeaderBytes + *nameSize) + *fileSize + padTo4(*fileSize);
  return llvm::Error::success();
}

llvm::Error CpioHeaderGuard::feed(llvm::ArrayRef<std::uint8_t> bytes) {
  while (!bytes.empty() && !done_) {
    if (skip_ > 0) {
      std::uint64_t n = std::min<std::uint64_t>(skip_, bytes.size());
      skip_ -= n;
      bytes = bytes.drop_front(static_cast<std::size_t>(n));
      continue;
    }
    std::size_t n = std::min(kHeaderBytes - have_, bytes.size());
    std::copy_n(bytes.begin(), n, header_.begin() + static_cast<std::ptrdiff_t>(have_));
    have_ += n;
    bytes = bytes.drop_front(n);
    if (have_ < kHeaderBytes)
      break;
    have_ = 0;
    if (llvm::Error error = checkHeader())
      return error;
  }
  return llvm::Error::success();
}

la_ssize_t GuardedCpioInput::read(struct archive *a, void *self, const void **buffer) {
  auto &input = *static_cast<GuardedCpioInput *>(self);
  if (input.ended_)
    return 0;
  if (!input.started_) {
    input.started_ = true;
    struct archive_entry *entry = nullptr;
    int status = archive_read_next_header(input.raw_, &entry);
    if (status == ARCHIVE_EOF) { // an empty payload
      input.ended_ = true;
      return 0;
    }
    if (status < ARCHIVE_WARN)
      return input.fail(a);
  }
  const void *block = nullptr;
  std::size_t size = 0;
  la_int64_t offset = 0;
  int status = archive_read_data_block(input.raw_, &block, &size, &offset);
  if (status == ARCHIVE_EOF) {
    input.ended_ = true;
    return 0;
  }
  if (status < ARCHIVE_WARN)
    return input.fail(a);
  llvm::ArrayRef<std::uint8_t> bytes(static_cast<const std::uint8_t *>(block), size);
  if (llvm::Error error = input.guard_.feed(bytes)) {
    std::string message = llvm::toString(std::move(error));
    archive_set_error(a, EFBIG, "%s", message.c_str());
    return -1;
  }
  *buffer = block;
  return static_cast<la_ssize_t>(size);
}

// The raw reader's error (the decompressor's or the source's) as A's.
la_ssize_t GuardedCpioInput::fail(struct archive *a) {
  const char *text = archive_error_string(raw_);
  archive_set_error(a, archive_errno(raw_) ? archive_errno(raw_) : EIO, "%s",
                    text ? text : "corrupt or truncated data");
  return -1;
}

int GuardedCpioInput::open(struct archive *cpio) {
  return archive_read_open(cpio, this, nullptr, read, nullptr);
}

} // namespace pkgnote::detail
