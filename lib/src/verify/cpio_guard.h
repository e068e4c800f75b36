// SPDX-License-Identifier: MIT
// The cpio payload of an .rpm as libarchive's cpio reader gets it, with its member headers checked
// on the way. libarchive reads a member's name, and a symbolic link's target, in one piece of the
// size the header states (8 hex digits: up to 4 GiB), and allocates a buffer that large before it
// knows whether that many bytes follow: a 20 KiB package whose header claims a name of 2.4 GB has
// it malloc 2.4 GB (fuzz_verify_package, issue 24; libarchive 3.6.2's read_header, the name's
// __archive_read_ahead). Linux paths are at most PATH_MAX (4096) bytes and rpm writes nothing
// longer, so a header stating more is refused here, before libarchive has seen it.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <archive.h>

#include <array>
#include <cstdint>
#include <string>

namespace pkgnote::detail {

// The largest name (with its NUL) and symbolic link target a payload member may state: PATH_MAX,
// plus the "./" rpm puts before every name.
inline constexpr std::uint64_t kMaxCpioPathBytes = 4096 + 2;

// Follows the headers of a newc ("070701"/"070702") stream chunk by chunk. Anything else (another
// cpio variant, garbage) ends the checking: libarchive then judges those bytes itself.
class CpioHeaderGuard {
public:
  // The bytes that follow the ones fed so far: an error naming the member whose header states a
  // name or link target longer than kMaxCpioPathBytes.
  llvm::Error feed(llvm::ArrayRef<std::uint8_t> bytes);

private:
  static constexpr std::size_t kHeaderBytes = 110;
  llvm::Error checkHeader();
  std::array<char, kHeaderBytes> header_{};
  std::size_t have_ = 0;   // header bytes gathered
  std::uint64_t skip_ = 0; // name, data and padding of the current member left to pass
  std::uint64_t members_ = 0;
  bool done_ = false; // not newc: nothing more is checked
};

// The decompressed payload that RAW (a libarchive reader of the "raw" format, opened over the
// package's payload) yields, as the input of a cpio reader: every chunk passes a CpioHeaderGuard
// first, whose refusal is the cpio reader's error. RAW and this outlive the cpio reader.
class GuardedCpioInput {
public:
  explicit GuardedCpioInput(struct archive *raw) : raw_(raw) {}
  GuardedCpioInput(const GuardedCpioInput &) = delete;
  GuardedCpioInput &operator=(const GuardedCpioInput &) = delete;

  // Opens CPIO (the caller has enabled the cpio format) over the payload: archive_read_open's
  // status.
  int open(struct archive *cpio);

private:
  static la_ssize_t read(struct archive *a, void *self, const void **buffer);
  la_ssize_t fail(struct archive *a);
  struct archive *raw_;
  bool started_ = false, ended_ = false;
  CpioHeaderGuard guard_;
};

} // namespace pkgnote::detail
