// SPDX-License-Identifier: MIT
// The input of a libarchive reader (a .deb's control.tar and data.tar, an .rpm's payload) whose
// compression is recognised before libarchive sees it: xz goes through pkgnote's XzDecoder (two
// blocks at a time, xz_decoder.h), gzip, zstd, lz4 and bzip2 through their own libraries
// (decoded_stream.h: ISA-L's inflate for an image's gzip layers), anything else through the
// filters libarchive has. The tar or
// cpio reader above gets plain bytes either way, so packages are walked by one machinery.
#pragma once

#include "io/forward_stream.h"

#include <memory>
#include <string>

struct archive;

namespace pkgnote::detail {

class ArchiveInput {
public:
  // SOURCE gives the (compressed) bytes; NAME names them in messages.
  ArchiveInput(std::string name, ChunkSource source);
  ~ArchiveInput();
  ArchiveInput(const ArchiveInput &) = delete;
  ArchiveInput &operator=(const ArchiveInput &) = delete;

  // Opens A, whose formats the caller has chosen, over the input: archive_read_open's status.
  // A failure of the source or of the xz decoder is A's error (archive_error_string), a message
  // without NAME such as "xz data: block 2 at byte 4327844: corrupt data".
  int open(struct archive *a);

private:
  struct Reader;
  std::unique_ptr<Reader> reader_;
};

} // namespace pkgnote::detail
