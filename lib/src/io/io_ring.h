// SPDX-License-Identifier: MIT
// The few io_uring operations that opening files in batches needs (file_batch.h): queue opens,
// reads and closes, submit them with one system call, and hand back each result by its tag.
// Built over liburing when pkgnote is built with it (PKGNOTE_IO_URING); without it, or when the
// kernel refuses (before 5.6, io_uring disabled by sysctl, a seccomp filter), create() is null.
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <memory>

namespace pkgnote::detail {

class IoRing {
public:
  // A ring with room for ENTRIES queued operations, or null (see above).
  static std::unique_ptr<IoRing> create(unsigned entries);
  // Whether this build has io_uring at all (tests tell "refused by the kernel" from "not built").
  static bool builtIn();
  ~IoRing();
  IoRing(const IoRing &) = delete;
  IoRing &operator=(const IoRing &) = delete;

  // Queue one operation each; at most ENTRIES between two submit() calls.
  void queueOpen(std::uint64_t tag, const char *path, int flags);
  void queueRead(std::uint64_t tag, int fd, void *buffer, unsigned size);
  void queueClose(std::uint64_t tag, int fd);

  // Submits the QUEUED operations and calls REAP(tag, result) for each completion (result as the
  // system call's, or -errno). Returns how many were submitted, in queue order, all of them
  // reaped: QUEUED, unless the kernel refused some (then the ring must not be used again); or -1
  // when waiting for completions failed, with nothing known of what is still in flight.
  int submit(unsigned queued, llvm::function_ref<void(std::uint64_t, int)> reap);

private:
  struct State;
  explicit IoRing(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

} // namespace pkgnote::detail
