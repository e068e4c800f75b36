// SPDX-License-Identifier: MIT
// ISA-L (libisal), loaded on the first gzip input rather than linked (support/lazy_library.h),
// for its inflate (isal_gzip_codec.cpp). Only a shared build that found it at configure time
// defines PKGNOTE_LIBISAL_SONAME (Debian ships no libisal.a); elsewhere, or when the library
// cannot be loaded, libIsalUnavailable() says why and gzip is decoded by zlib.
#include "io/library_loaders.h"

#ifndef PKGNOTE_LIBISAL_SONAME

std::string pkgnote::detail::libIsalUnavailable() { return "built without ISA-L"; }

#else

#include "support/lazy_library.h"

#include <isa-l/igzip_lib.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBISAL_FUNCTIONS(X)                                                               \
  X(isal_inflate_init, void, (struct inflate_state * state), (state))                              \
  X(isal_inflate, int, (struct inflate_state * state), (state))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBISAL_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBISAL_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &library() {
  static const LazyLibrary library(PKGNOTE_LIBISAL_SONAME, "(gzip data is decoded with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libIsalUnavailable() { return library().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(library, ISAL_INVALID_OPERATION, __VA_ARGS__)
PKGNOTE_LIBISAL_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBISAL_SONAME
