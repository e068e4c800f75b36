// SPDX-License-Identifier: MIT
// libarchive, loaded on the first input that needs it (a compressed file, a package, an image)
// rather than linked: Debian's shared libarchive brings libxml2, ICU (30 MB of data, a shared
// libstdc++), nettle and acl, which the dynamic loader would map and relocate at every start of a
// one-file `pkgnote read`. Each archive_* function pkgnote calls is defined here under libarchive's
// own name and prototype (a differing prototype is a compile error against <archive.h>), and
// forwards to the library that the first call dlopens; a function missing from the list is a link
// error, so a new call cannot bypass the loader. The forwarders exist only in the shared build
// (PKGNOTE_LIBARCHIVE_SONAME); PKGNOTE_STATIC links libarchive.a instead.
//
// When the library cannot be loaded, archive_read_new and archive_write_new return null, every
// other function fails (ARCHIVE_FATAL, null) without touching its arguments, archive_errno says
// ELIBACC and archive_error_string gives the reason: callers report it as libarchive's error for
// that one input, as they report a corrupt file.
#include "io/library_loaders.h"

#include "support/lazy_library.h"

#ifndef PKGNOTE_LIBARCHIVE_SONAME

// PKGNOTE_STATIC: libarchive.a is linked; only memory can be missing.
std::string pkgnote::detail::libArchiveUnavailable() { return "out of memory"; }

#else

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>

// Every forwarded function: name, return type, parameters, arguments. Those that do more when
// libarchive is missing, or are variadic, are written out at the end.
#define PKGNOTE_LIBARCHIVE_FUNCTIONS(X)                                                            \
  X(archive_read_new, struct archive *, (void), ())                                                \
  X(archive_read_free, int, (struct archive * a), (a))                                             \
  X(archive_read_support_filter_all, int, (struct archive * a), (a))                               \
  X(archive_read_support_filter_bzip2, int, (struct archive * a), (a))                             \
  X(archive_read_support_filter_gzip, int, (struct archive * a), (a))                              \
  X(archive_read_support_filter_lz4, int, (struct archive * a), (a))                               \
  X(archive_read_support_filter_xz, int, (struct archive * a), (a))                                \
  X(archive_read_support_filter_zstd, int, (struct archive * a), (a))                              \
  X(archive_read_support_format_all, int, (struct archive * a), (a))                               \
  X(archive_read_support_format_ar, int, (struct archive * a), (a))                                \
  X(archive_read_support_format_cpio, int, (struct archive * a), (a))                              \
  X(archive_read_support_format_raw, int, (struct archive * a), (a))                               \
  X(archive_read_support_format_tar, int, (struct archive * a), (a))                               \
  X(archive_read_open, int,                                                                        \
    (struct archive * a, void *data, archive_open_callback *open, archive_read_callback *read,     \
     archive_close_callback *close),                                                               \
    (a, data, open, read, close))                                                                  \
  X(archive_read_open_filename, int, (struct archive * a, const char *name, size_t block),         \
    (a, name, block))                                                                              \
  X(archive_read_open_fd, int, (struct archive * a, int fd, size_t block), (a, fd, block))         \
  X(archive_read_open_memory, int, (struct archive * a, const void *buffer, size_t size),          \
    (a, buffer, size))                                                                             \
  X(archive_read_next_header, int, (struct archive * a, struct archive_entry * *entry),            \
    (a, entry))                                                                                    \
  X(archive_read_data, la_ssize_t, (struct archive * a, void *buffer, size_t size),                \
    (a, buffer, size))                                                                             \
  X(archive_read_data_block, int,                                                                  \
    (struct archive * a, const void **block, size_t *size, la_int64_t *offset),                    \
    (a, block, size, offset))                                                                      \
  X(archive_read_data_skip, int, (struct archive * a), (a))                                        \
  X(archive_filter_count, int, (struct archive * a), (a))                                          \
  X(archive_filter_name, const char *, (struct archive * a, int n), (a, n))                        \
  X(archive_write_new, struct archive *, (void), ())                                               \
  X(archive_write_free, int, (struct archive * a), (a))                                            \
  X(archive_write_close, int, (struct archive * a), (a))                                           \
  X(archive_write_add_filter_bzip2, int, (struct archive * a), (a))                                \
  X(archive_write_add_filter_gzip, int, (struct archive * a), (a))                                 \
  X(archive_write_add_filter_lz4, int, (struct archive * a), (a))                                  \
  X(archive_write_add_filter_xz, int, (struct archive * a), (a))                                   \
  X(archive_write_add_filter_zstd, int, (struct archive * a), (a))                                 \
  X(archive_write_set_format_raw, int, (struct archive * a), (a))                                  \
  X(archive_write_set_bytes_in_last_block, int, (struct archive * a, int bytes), (a, bytes))       \
  X(archive_write_open_memory, int, (struct archive * a, void *buffer, size_t size, size_t *used), \
    (a, buffer, size, used))                                                                       \
  X(archive_write_header, int, (struct archive * a, struct archive_entry * entry), (a, entry))     \
  X(archive_write_data, la_ssize_t, (struct archive * a, const void *data, size_t size),           \
    (a, data, size))                                                                               \
  X(archive_entry_new, struct archive_entry *, (void), ())                                         \
  X(archive_entry_free, void, (struct archive_entry * entry), (entry))                             \
  X(archive_entry_pathname, const char *, (struct archive_entry * entry), (entry))                 \
  X(archive_entry_hardlink, const char *, (struct archive_entry * entry), (entry))                 \
  X(archive_entry_symlink, const char *, (struct archive_entry * entry), (entry))                  \
  X(archive_entry_filetype, __LA_MODE_T, (struct archive_entry * entry), (entry))                  \
  X(archive_entry_mode, __LA_MODE_T, (struct archive_entry * entry), (entry))                      \
  X(archive_entry_nlink, unsigned int, (struct archive_entry * entry), (entry))                    \
  X(archive_entry_size, la_int64_t, (struct archive_entry * entry), (entry))                       \
  X(archive_entry_size_is_set, int, (struct archive_entry * entry), (entry))                       \
  X(archive_entry_set_filetype, void, (struct archive_entry * entry, unsigned int type),           \
    (entry, type))                                                                                 \
  X(archive_entry_set_pathname, void, (struct archive_entry * entry, const char *name),            \
    (entry, name))                                                                                 \
  X(archive_entry_set_size, void, (struct archive_entry * entry, la_int64_t size), (entry, size))
#define PKGNOTE_LIBARCHIVE_WRITTEN_OUT(X)                                                          \
  X(archive_error_string) X(archive_errno) X(archive_set_error)

namespace pkgnote::detail {
namespace {

enum Function : unsigned {
  PKGNOTE_LIBARCHIVE_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR)
      PKGNOTE_LIBARCHIVE_WRITTEN_OUT(PKGNOTE_LAZY_ENUMERATOR) kFunctions
};

constexpr const char *kNames[] = {PKGNOTE_LIBARCHIVE_FUNCTIONS(PKGNOTE_LAZY_NAME)
                                      PKGNOTE_LIBARCHIVE_WRITTEN_OUT(PKGNOTE_LAZY_NAME)};

const LazyLibrary &libArchive() {
  static const LazyLibrary library(PKGNOTE_LIBARCHIVE_SONAME,
                                   "(compressed files and packages are read with it)", kNames,
                                   kFunctions);
  return library;
}

} // namespace

std::string libArchiveUnavailable() {
  const std::string &error = libArchive().error();
  return error.empty() ? "out of memory" : error;
}

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(libArchive, ARCHIVE_FATAL, __VA_ARGS__)
PKGNOTE_LIBARCHIVE_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

// Without libarchive, the reason it is missing is every archive's error.
extern "C" const char *archive_error_string(struct archive *a) {
  if (!libArchive().loaded())
    return libArchive().error().c_str();
  return libArchive().function<decltype(&::archive_error_string)>(k_archive_error_string)(a);
}

extern "C" int archive_errno(struct archive *a) {
  if (!libArchive().loaded())
    return ELIBACC;
  return libArchive().function<decltype(&::archive_errno)>(k_archive_errno)(a);
}

// A variadic function cannot forward its arguments: the message is formatted here.
extern "C" void archive_set_error(struct archive *a, int code, const char *format, ...) {
  if (!libArchive().loaded())
    return;
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  libArchive().function<decltype(&::archive_set_error)>(k_archive_set_error)(a, code, "%s",
                                                                             message);
}

#endif // PKGNOTE_LIBARCHIVE_SONAME
