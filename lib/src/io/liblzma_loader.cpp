// SPDX-License-Identifier: MIT
// liblzma, loaded on the first .xz input rather than linked (support/lazy_library.h): pkgnote's xz
// decoder (xz_decoder.h) is its only user, and a one-file `pkgnote read` of a plain ELF file should
// map no library it does not call. The forwarders exist only in the shared build
// (PKGNOTE_LIBLZMA_SONAME); PKGNOTE_STATIC links liblzma.a. Without the library every function
// fails with LZMA_PROG_ERROR, which xzProblem (xz_block.h) reports as libLzmaUnavailable().
#include "io/library_loaders.h"

#ifndef PKGNOTE_LIBLZMA_SONAME

std::string pkgnote::detail::libLzmaUnavailable() { return ""; }

#else

#include "support/lazy_library.h"

#include <lzma.h>

// Every forwarded function: name, return type, parameters (with liblzma's noexcept), arguments.
#define PKGNOTE_LIBLZMA_FUNCTIONS(X)                                                               \
  X(lzma_code, lzma_ret, (lzma_stream * strm, lzma_action action) noexcept, (strm, action))        \
  X(lzma_end, void, (lzma_stream * strm) noexcept, (strm))                                         \
  X(lzma_block_header_decode, lzma_ret,                                                            \
    (lzma_block * block, const lzma_allocator *allocator, const uint8_t *in) noexcept,             \
    (block, allocator, in))                                                                        \
  X(lzma_block_unpadded_size, lzma_vli, (const lzma_block *block) noexcept, (block))               \
  X(lzma_block_total_size, lzma_vli, (const lzma_block *block) noexcept, (block))                  \
  X(lzma_block_decoder, lzma_ret, (lzma_stream * strm, lzma_block * block) noexcept,               \
    (strm, block))                                                                                 \
  X(lzma_filters_free, void, (lzma_filter * filters, const lzma_allocator *allocator) noexcept,    \
    (filters, allocator))                                                                          \
  X(lzma_raw_decoder_memusage, uint64_t, (const lzma_filter *filters) noexcept, (filters))         \
  X(lzma_index_hash_init, lzma_index_hash *,                                                       \
    (lzma_index_hash * index_hash, const lzma_allocator *allocator) noexcept,                      \
    (index_hash, allocator))                                                                       \
  X(lzma_index_hash_end, void,                                                                     \
    (lzma_index_hash * index_hash, const lzma_allocator *allocator) noexcept,                      \
    (index_hash, allocator))                                                                       \
  X(lzma_index_hash_append, lzma_ret,                                                              \
    (lzma_index_hash * index_hash, lzma_vli unpadded_size, lzma_vli uncompressed_size) noexcept,   \
    (index_hash, unpadded_size, uncompressed_size))                                                \
  X(lzma_index_hash_decode, lzma_ret,                                                              \
    (lzma_index_hash * index_hash, const uint8_t *in, size_t *in_pos, size_t in_size) noexcept,    \
    (index_hash, in, in_pos, in_size))                                                             \
  X(lzma_index_hash_size, lzma_vli, (const lzma_index_hash *index_hash) noexcept, (index_hash))    \
  X(lzma_stream_header_decode, lzma_ret,                                                           \
    (lzma_stream_flags * options, const uint8_t *in) noexcept, (options, in))                      \
  X(lzma_stream_footer_decode, lzma_ret,                                                           \
    (lzma_stream_flags * options, const uint8_t *in) noexcept, (options, in))                      \
  X(lzma_stream_flags_compare, lzma_ret,                                                           \
    (const lzma_stream_flags *a, const lzma_stream_flags *b) noexcept, (a, b))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBLZMA_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBLZMA_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &libLzma() {
  static const LazyLibrary library(PKGNOTE_LIBLZMA_SONAME, "(xz data is decoded with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libLzmaUnavailable() { return libLzma().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(libLzma, LZMA_PROG_ERROR, __VA_ARGS__)
PKGNOTE_LIBLZMA_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBLZMA_SONAME
