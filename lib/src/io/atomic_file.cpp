// SPDX-License-Identifier: MIT
// Atomic output: the contents go to a uniquely named temporary file in the target's directory
// (same file system, so rename(2) is atomic), which replaces the target only once it is complete.
// On any failure the temporary file is removed and an existing target is left untouched.
//
// mkstemp(3) rather than llvm::sys::fs::TempFile: TempFile treats every '%' in the whole path as
// a placeholder, so an output path such as "out 100%/note.ld" (RPM macros, make patterns) would
// be mangled; mkstemp replaces only the trailing XXXXXX that we append.
#include "pkgnote/atomic_file.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pkgnote {
namespace {

std::string describe(int errnum) {
  std::string text = std::strerror(errnum);
  if (!text.empty())
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

Error fileError(const std::string &path, const std::string &problem, int errnum) {
  return Error{"'" + path + "': " + problem + ": " + describe(errnum)};
}

// Writes all of CONTENTS to FD; 0 or the errno of the failure.
int writeAll(int fd, std::string_view contents) {
  while (!contents.empty()) {
    ssize_t written = ::write(fd, contents.data(), contents.size());
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    contents.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// The mode a newly created file gets: 0666 minus the umask (mkstemp creates 0600).
mode_t newFileMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

} // namespace

Status writeFileAtomically(const std::string &path, std::string_view contents) {
  return writeFileAtomically(path, [contents](int fd) {
    if (int errnum = writeAll(fd, contents))
      return FillFailure{errnum, "cannot write"};
    if (::fchmod(fd, newFileMode()) != 0)
      return FillFailure{errno, "cannot set mode"};
    return FillFailure{};
  });
}

Status writeFileAtomically(const std::string &path,
                           const std::function<FillFailure(int fd)> &fill) {
  std::string pattern = path + ".pkgnote-tmp-XXXXXX";
  std::vector<char> tempName(pattern.begin(), pattern.end());
  tempName.push_back('\0');
  int fd = ::mkostemp(tempName.data(), O_CLOEXEC);
  if (fd < 0)
    return fileError(path, "cannot create temporary file", errno);

  FillFailure failure = fill(fd);
  if (::close(fd) != 0 && failure.errnum == 0)
    failure = FillFailure{errno, "cannot close"};
  if (failure.errnum == 0 && ::rename(tempName.data(), path.c_str()) != 0)
    failure = FillFailure{errno, "cannot replace"};
  if (failure.errnum != 0) {
    ::unlink(tempName.data());
    return fileError(path, failure.problem, failure.errnum);
  }
  return ok();
}

} // namespace pkgnote
