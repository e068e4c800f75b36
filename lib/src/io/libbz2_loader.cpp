// SPDX-License-Identifier: MIT
// libbz2, loaded on the first bzip2 input rather than linked (support/lazy_library.h), as
// libarchive and liblzma are: a read of plain ELF files maps no decompression library. The
// forwarders exist only in the shared build (PKGNOTE_LIBBZ2_SONAME); PKGNOTE_STATIC links the
// archive. Without the library its set-up function fails (BZ2_bzDecompressInit gives
// BZ_CONFIG_ERROR), which the codec (stream_codec.h) reports with libBz2Unavailable().
#include "io/library_loaders.h"

#ifndef PKGNOTE_LIBBZ2_SONAME

std::string pkgnote::detail::libBz2Unavailable() { return ""; }

#else

#include "support/lazy_library.h"

#include <bzlib.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBBZ2_FUNCTIONS(X)                                                                \
  X(BZ2_bzDecompressInit, int, (bz_stream * stream, int verbosity, int small),                     \
    (stream, verbosity, small))                                                                    \
  X(BZ2_bzDecompress, int, (bz_stream * stream), (stream))                                         \
  X(BZ2_bzDecompressEnd, int, (bz_stream * stream), (stream))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBBZ2_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBBZ2_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &library() {
  static const LazyLibrary library(PKGNOTE_LIBBZ2_SONAME, "(bzip2 data is decoded with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libBz2Unavailable() { return library().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(library, BZ_CONFIG_ERROR, __VA_ARGS__)
PKGNOTE_LIBBZ2_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBBZ2_SONAME
