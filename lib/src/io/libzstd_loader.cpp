// SPDX-License-Identifier: MIT
// libzstd, loaded on the first zstd input rather than linked (support/lazy_library.h), as
// libarchive and liblzma are: a read of plain ELF files maps no decompression library. The
// forwarders exist only in the shared build (PKGNOTE_LIBZSTD_SONAME); PKGNOTE_STATIC links the
// archive. Without the library its set-up function fails (ZSTD_createDStream gives null), which the
// codec (stream_codec.h) reports with libZstdUnavailable().
#include "io/library_loaders.h"

#ifndef PKGNOTE_LIBZSTD_SONAME

std::string pkgnote::detail::libZstdUnavailable() { return ""; }

#else

#include "support/lazy_library.h"

#include <zstd.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBZSTD_FUNCTIONS(X)                                                               \
  X(ZSTD_createDStream, ZSTD_DStream *, (void), ())                                                \
  X(ZSTD_freeDStream, size_t, (ZSTD_DStream * stream), (stream))                                   \
  X(ZSTD_decompressStream, size_t,                                                                 \
    (ZSTD_DStream * stream, ZSTD_outBuffer * output, ZSTD_inBuffer * input),                       \
    (stream, output, input))                                                                       \
  X(ZSTD_isError, unsigned, (size_t code), (code))                                                 \
  X(ZSTD_getErrorName, const char *, (size_t code), (code))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBZSTD_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBZSTD_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &library() {
  static const LazyLibrary library(PKGNOTE_LIBZSTD_SONAME, "(zstd data is decoded with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libZstdUnavailable() { return library().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(library, -1, __VA_ARGS__)
PKGNOTE_LIBZSTD_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBZSTD_SONAME
