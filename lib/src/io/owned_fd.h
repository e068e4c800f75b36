// SPDX-License-Identifier: MIT
// A file descriptor closed when it goes out of scope, so that every early return of a reader or
// writer closes what it opened.
#pragma once

#include <unistd.h>

namespace pkgnote::detail {

class OwnedFd {
public:
  explicit OwnedFd(int fd) : fd(fd) {}
  ~OwnedFd() {
    if (fd >= 0)
      ::close(fd);
  }
  OwnedFd(const OwnedFd &) = delete;
  OwnedFd &operator=(const OwnedFd &) = delete;

  int fd;
};

} // namespace pkgnote::detail
