// SPDX-License-Identifier: MIT
// In the shared build libarchive, liblzma and liburing are loaded with dlopen on their first use
// (libarchive_loader.cpp, liblzma_loader.cpp, liburing_loader.cpp over support/lazy_library.h):
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

} // namespace pkgnote::detail
