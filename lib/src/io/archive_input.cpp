// SPDX-License-Identifier: MIT
// ArchiveInput (archive_input.h). The first chunk of the source is looked at once and then handed
// on as if unread: to the xz decoder, to the decoder of its compression (decoded_stream.h), or,
// when it is none of those, straight to libarchive and its filters.
#include "io/archive_input.h"

#include "io/byte_source.h"
#include "io/decoded_stream.h"
#include "io/xz_decoder.h"

#include <archive.h>

#include <cerrno>
#include <optional>

namespace pkgnote::detail {

namespace {

// ERROR, which names NAME, as A's error: libarchive's callers then say what failed.
void setArchiveError(struct archive *a, llvm::Error error, const std::string &name) {
  std::string message = problemAbout(std::move(error), name);
  archive_set_error(a, EIO, "%s", message.c_str());
}

} // namespace

struct ArchiveInput::Reader {
  std::string name;
  ChunkSource source;
  std::optional<llvm::ArrayRef<std::uint8_t>> first; // looked at, not yet handed on
  std::unique_ptr<XzDecoder> xz;
  std::unique_ptr<DecodedStream> decoded;

  // The source, its first chunk again first.
  llvm::Expected<llvm::ArrayRef<std::uint8_t>> compressed() {
    if (first) {
      llvm::ArrayRef<std::uint8_t> chunk = *first;
      first.reset();
      return chunk;
    }
    return source();
  }

  static la_ssize_t read(struct archive *a, void *self, const void **buffer) {
    Reader &reader = *static_cast<Reader *>(self);
    auto chunk = reader.xz        ? reader.xz->next()
                 : reader.decoded ? reader.decoded->nextChunk()
                                  : reader.compressed();
    if (!chunk) {
      setArchiveError(a, chunk.takeError(), reader.name);
      return -1;
    }
    *buffer = chunk->data();
    return static_cast<la_ssize_t>(chunk->size());
  }
};

ArchiveInput::ArchiveInput(std::string name, ChunkSource source)
    : reader_(std::make_unique<Reader>()) {
  reader_->name = std::move(name);
  reader_->source = std::move(source);
}

ArchiveInput::~ArchiveInput() = default;

int ArchiveInput::open(struct archive *a) {
  Reader &reader = *reader_;
  auto first = reader.source();
  if (!first) {
    setArchiveError(a, first.takeError(), reader.name);
    return ARCHIVE_FATAL;
  }
  reader.first = *first;
  std::optional<Compression> compression =
      compressionOf(std::string_view(reinterpret_cast<const char *>(first->data()), first->size()));
  if (compression == Compression::Xz) {
    reader.xz = std::make_unique<XzDecoder>(reader.name, [&reader] { return reader.compressed(); });
  } else if (compression) {
    auto decoded =
        openDecoded(reader.name, *compression, [&reader] { return reader.compressed(); });
    if (!decoded) {
      setArchiveError(a, decoded.takeError(), reader.name);
      return ARCHIVE_FATAL;
    }
    reader.decoded = std::move(*decoded);
  } else {
    // Another compression (compress, lzip, ...), or a first chunk too short to tell.
    archive_read_support_filter_all(a);
  }
  return archive_read_open(a, &reader, nullptr, Reader::read, nullptr);
}

} // namespace pkgnote::detail
