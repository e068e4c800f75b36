// SPDX-License-Identifier: MIT
// In the shared build libarchive, the decompression libraries (liblzma, zlib, libzstd, liblz4,
// libbz2) and liburing are loaded with dlopen on their first use (lib*_loader.cpp over
// support/lazy_library.h):
// their functions are called as if the libraries were linked, and fail as for a bad input when a
// library cannot be loaded. These say why, for the messages.
#pragma once

#include <string>

namespace pkgnote::detail {

// Why archive_read_new or archive_write_new gave null: the reason libarchive could not be loaded,
// or "out of memory".
std::string libArchiveUnavailable();

// Why liblzma could not be loaded; empty when it was (or is linked).
std::string libLzmaUnavailable();

// The same for zlib, libzstd, liblz4 and libbz2 (stream_codec.h's decoders).
std::string libZUnavailable();
std::string libZstdUnavailable();
std::string libLz4Unavailable();
std::string libBz2Unavailable();
// ISA-L (isal_gzip_codec.cpp): also "not built" where pkgnote was built without it.
std::string libIsalUnavailable();

} // namespace pkgnote::detail
