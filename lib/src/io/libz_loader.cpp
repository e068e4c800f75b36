// SPDX-License-Identifier: MIT
// zlib, loaded on the first gzip input rather than linked (support/lazy_library.h), as libarchive
// and liblzma are: a read of plain ELF files maps no decompression library. The forwarders exist
// only in the shared build (PKGNOTE_LIBZ_SONAME); PKGNOTE_STATIC links the archive. Without the
// library its set-up function fails (inflateInit2_ gives Z_STREAM_ERROR), which the codec
// (stream_codec.h) reports with libZUnavailable().
#include "io/library_loaders.h"

#ifndef PKGNOTE_LIBZ_SONAME

std::string pkgnote::detail::libZUnavailable() { return ""; }

#else

#include "support/lazy_library.h"

#include <zlib.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBZ_FUNCTIONS(X)                                                                  \
  X(inflateInit2_, int, (z_streamp strm, int windowBits, const char *version, int size),           \
    (strm, windowBits, version, size))                                                             \
  X(inflate, int, (z_streamp strm, int flush), (strm, flush))                                      \
  X(inflateReset, int, (z_streamp strm), (strm))                                                   \
  X(inflateEnd, int, (z_streamp strm), (strm))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBZ_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBZ_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &library() {
  static const LazyLibrary library(PKGNOTE_LIBZ_SONAME, "(gzip data is decoded with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libZUnavailable() { return library().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(library, Z_STREAM_ERROR, __VA_ARGS__)
PKGNOTE_LIBZ_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBZ_SONAME
