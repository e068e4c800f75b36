// SPDX-License-Identifier: MIT
// liblz4, loaded on the first lz4 input rather than linked (support/lazy_library.h), as libarchive
// and liblzma are: a read of plain ELF files maps no decompression library. The forwarders exist
// only in the shared build (PKGNOTE_LIBLZ4_SONAME); PKGNOTE_STATIC links the archive. Without the
// library its set-up function fails (an error code from LZ4F_createDecompressionContext), which the
// codec (stream_codec.h) reports with libLz4Unavailable().
#include "io/library_loaders.h"

#ifndef PKGNOTE_LIBLZ4_SONAME

std::string pkgnote::detail::libLz4Unavailable() { return ""; }

#else

#include "support/lazy_library.h"

#include <lz4frame.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBLZ4_FUNCTIONS(X)                                                                \
  X(LZ4F_createDecompressionContext, LZ4F_errorCode_t, (LZ4F_dctx * *context, unsigned version),   \
    (context, version))                                                                            \
  X(LZ4F_freeDecompressionContext, LZ4F_errorCode_t, (LZ4F_dctx * context), (context))             \
  X(LZ4F_decompress, size_t,                                                                       \
    (LZ4F_dctx * context, void *out, size_t *outSize, const void *in, size_t *inSize,              \
     const LZ4F_decompressOptions_t *options),                                                     \
    (context, out, outSize, in, inSize, options))                                                  \
  X(LZ4F_isError, unsigned, (LZ4F_errorCode_t code), (code))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBLZ4_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBLZ4_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &library() {
  static const LazyLibrary library(PKGNOTE_LIBLZ4_SONAME, "(lz4 data is decoded with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libLz4Unavailable() { return library().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(library, -1, __VA_ARGS__)
PKGNOTE_LIBLZ4_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBLZ4_SONAME
