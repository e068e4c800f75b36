// SPDX-License-Identifier: MIT
// liburing, loaded on the first tree read that sets up a ring rather than linked
// (support/lazy_library.h): a one-file `pkgnote read` never opens a ring, and should map no
// library it does not call. Compiled only in a shared build with liburing
// (PKGNOTE_LIBURING_SONAME); PKGNOTE_STATIC links liburing.a. Without the library
// io_uring_queue_init fails with ENOSYS, as on a kernel without io_uring, and the reader opens
// files one by one (io_ring.h).
#include "support/lazy_library.h"

#include <liburing.h>

#include <cerrno>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBURING_FUNCTIONS(X)                                                              \
  X(io_uring_queue_init, int, (unsigned entries, struct io_uring *ring, unsigned flags),           \
    (entries, ring, flags))                                                                        \
  X(io_uring_queue_exit, void, (struct io_uring * ring), (ring))                                   \
  X(io_uring_get_probe_ring, struct io_uring_probe *, (struct io_uring * ring), (ring))            \
  X(io_uring_free_probe, void, (struct io_uring_probe * probe), (probe))                           \
  X(io_uring_submit_and_wait, int, (struct io_uring * ring, unsigned wait_nr), (ring, wait_nr))    \
  X(__io_uring_get_cqe, int,                                                                       \
    (struct io_uring * ring, struct io_uring_cqe * *cqe_ptr, unsigned submit, unsigned wait_nr,    \
     sigset_t *sigmask),                                                                           \
    (ring, cqe_ptr, submit, wait_nr, sigmask))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBURING_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBURING_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &libUring() {
  static const LazyLibrary library(PKGNOTE_LIBURING_SONAME, "(files are read through io_uring)",
                                   kNames, kFunctions);
  return library;
}

} // namespace
} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(libUring, -ENOSYS, __VA_ARGS__)
PKGNOTE_LIBURING_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD
