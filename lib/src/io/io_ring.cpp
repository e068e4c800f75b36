// SPDX-License-Identifier: MIT
// IoRing over liburing, or, in a build without it, a ring that never exists.
#include "io/io_ring.h"

#if PKGNOTE_HAVE_LIBURING
#include <liburing.h>

#include <cerrno>
#include <fcntl.h>

namespace pkgnote::detail {

struct IoRing::State {
  io_uring ring{};
  bool live = false; // set up: to be torn down
  ~State() {
    if (live)
      io_uring_queue_exit(&ring);
  }

  io_uring_sqe *next(std::uint64_t tag) {
    io_uring_sqe *entry = io_uring_get_sqe(&ring); // callers queue at most `entries`
    io_uring_sqe_set_data64(entry, tag);
    return entry;
  }
};

std::unique_ptr<IoRing> IoRing::create(unsigned entries) {
  auto state = std::make_unique<State>();
  if (io_uring_queue_init(entries, &state->ring, 0) != 0)
    return nullptr;
  state->live = true;
  io_uring_probe *probe = io_uring_get_probe_ring(&state->ring);
  bool complete = probe && io_uring_opcode_supported(probe, IORING_OP_OPENAT) &&
                  io_uring_opcode_supported(probe, IORING_OP_READ) &&
                  io_uring_opcode_supported(probe, IORING_OP_CLOSE);
  if (probe)
    io_uring_free_probe(probe);
  if (!complete)
    return nullptr;
  return std::unique_ptr<IoRing>(new IoRing(std::move(state)));
}

bool IoRing::builtIn() { return true; }

void IoRing::queueOpen(std::uint64_t tag, const char *path, int flags) {
  io_uring_prep_openat(state_->next(tag), AT_FDCWD, path, flags, 0);
}

void IoRing::queueRead(std::uint64_t tag, int fd, void *buffer, unsigned size) {
  io_uring_prep_read(state_->next(tag), fd, buffer, size, 0);
}

void IoRing::queueClose(std::uint64_t tag, int fd) { io_uring_prep_close(state_->next(tag), fd); }

int IoRing::submit(unsigned queued, llvm::function_ref<void(std::uint64_t, int)> reap) {
  int submitted;
  do
    submitted = io_uring_submit_and_wait(&state_->ring, queued);
  while (submitted == -EINTR);
  if (submitted < 0)
    return 0; // nothing was taken
  for (int seen = 0; seen < submitted; ++seen) {
    io_uring_cqe *completion;
    int error;
    do
      error = io_uring_wait_cqe(&state_->ring, &completion);
    while (error == -EINTR);
    if (error != 0)
      return -1;
    reap(io_uring_cqe_get_data64(completion), completion->res);
    io_uring_cqe_seen(&state_->ring, completion);
  }
  return submitted;
}

} // namespace pkgnote::detail

#else

namespace pkgnote::detail {

struct IoRing::State {};
std::unique_ptr<IoRing> IoRing::create(unsigned) { return nullptr; }
bool IoRing::builtIn() { return false; }
void IoRing::queueOpen(std::uint64_t, const char *, int) {}
void IoRing::queueRead(std::uint64_t, int, void *, unsigned) {}
void IoRing::queueClose(std::uint64_t, int) {}
int IoRing::submit(unsigned, llvm::function_ref<void(std::uint64_t, int)>) { return 0; }

} // namespace pkgnote::detail

#endif

namespace pkgnote::detail {

IoRing::IoRing(std::unique_ptr<State> state) : state_(std::move(state)) {}
IoRing::~IoRing() = default;

} // namespace pkgnote::detail
