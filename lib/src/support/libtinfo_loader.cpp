// SPDX-License-Identifier: MIT
// libtinfo, loaded the first time LLVM Support asks whether a terminal has colours rather than
// linked (support/lazy_library.h): LLVM's Process.cpp is its only user, a one-file `pkgnote read`
// never asks, and every library linked costs every start. Compiled into each executable that
// links pkgnote_lib (an INTERFACE source: LLVMSupport.a comes after libpkgnote.a on the link line)
// in the shared build only (PKGNOTE_LIBTINFO_SONAME); PKGNOTE_STATIC links libtinfo.a. Without the
// library setupterm fails (ERR), and LLVM prints without colours.
#include "support/lazy_library.h"

#include <term.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBTINFO_FUNCTIONS(X)                                                              \
  X(setupterm, int, (const char *term, int fd, int *errret), (term, fd, errret))                   \
  X(tigetnum, int, (const char *name), (name))                                                     \
  X(set_curterm, TERMINAL *, (TERMINAL * terminal), (terminal))                                    \
  X(del_curterm, int, (TERMINAL * terminal), (terminal))

namespace {

enum Function : unsigned { PKGNOTE_LIBTINFO_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBTINFO_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const pkgnote::detail::LazyLibrary &libTinfo() {
  static const pkgnote::detail::LazyLibrary library(PKGNOTE_LIBTINFO_SONAME, "(terminal colours)",
                                                    kNames, kFunctions);
  return library;
}

} // namespace

// -1: curses.h's ERR, which term.h does not define.
#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(libTinfo, -1, __VA_ARGS__)
PKGNOTE_LIBTINFO_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD
