// SPDX-License-Identifier: MIT
// scanLayer (layer_scan.h): libarchive's tar reader over io/'s ArchiveInput (which recognises
// the compression), each ELF member read once, forward, by the streamed ELF reader, as verify/
// reads package members; sha256 from support/sha256.h over the stored bytes.
#include "image/layer_scan.h"

#include "io/archive_input.h"
#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "io/stream_adapters.h"
#include "pkgnote/elf_reader.h"
#include "read/elf_bytes.h"
#include "read/streamed_read.h"
#include "support/normal_path.h"

#include "support/sha256.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>

namespace pkgnote::detail {

std::string resolveEntryPath(std::string_view path) { return normalPath(path); }

struct Sha256Chunks::State {
  ChunkSource source;
  Sha256 hash;
  std::uint64_t size = 0;
  bool ended = false;
};

Sha256Chunks::Sha256Chunks(ChunkSource source) : state_(std::make_shared<State>()) {
  state_->source = std::move(source);
}
Sha256Chunks::~Sha256Chunks() = default;

ChunkSource Sha256Chunks::chunks() {
  std::shared_ptr<State> state = state_;
  return [state]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    if (state->ended)
      return llvm::ArrayRef<std::uint8_t>();
    if (!state->hash.error().empty())
      return llvm::createStringError(std::make_error_code(std::errc::not_supported),
                                     state->hash.error());
    auto chunk = state->source();
    if (!chunk)
      return chunk.takeError();
    state->hash.update(*chunk);
    state->size += chunk->size();
    state->ended = chunk->empty();
    return chunk;
  };
}

llvm::Error Sha256Chunks::drain() {
  ChunkSource source = chunks();
  while (!state_->ended)
    if (auto chunk = source(); !chunk)
      return chunk.takeError();
  return llvm::Error::success();
}

std::string Sha256Chunks::digest() { return sha256Text(state_->hash.final()); }

std::uint64_t Sha256Chunks::size() const { return state_->size; }

bool Sha256Chunks::ended() const { return state_->ended; }

namespace {

struct ArchiveFree {
  void operator()(struct archive *a) const { archive_read_free(a); }
};

std::string archiveText(struct archive *a) {
  const char *message = archive_error_string(a);
  return message ? message : "unknown libarchive error";
}

// A regular file's entry: its ELF report when its first bytes are ELF. An llvm::Error when the
// layer itself failed under it.
llvm::Error readFileEntry(ForwardStream &stream, const std::string &name, LayerEntry &entry,
                          bool dependencies) {
  // The loader's configuration, for the resolution inside the image (resolve/ld_so_conf.h).
  constexpr std::size_t kMaxConf = 64u << 10;
  bool conf = dependencies && (entry.path == "etc/ld.so.conf" ||
                               entry.path.compare(0, 16, "etc/ld.so.conf.d") == 0);
  auto head = readHead(stream, conf ? kMaxConf : 64);
  if (!head)
    return head.takeError();
  if (conf) {
    entry.contents = *head;
    return llvm::Error::success();
  }
  if (head->size() < 4 || std::memcmp(head->data(),
                                      "\x7f"
                                      "ELF",
                                      4) != 0)
    return llvm::Error::success();
  bool layerFailed = false;
  auto whole = std::make_unique<HeadThenStream>(std::move(*head), stream, layerFailed);
  std::string path = "/" + entry.path;
  ReadOptions options;
  options.dependencies = dependencies;
  auto report = readStreamed(std::move(whole), StreamOpener(), [&](const ByteSource &source) {
    return readElfBytes(source, options, nullptr);
  });
  if (!report) {
    if (layerFailed)
      return report.takeError();
    entry.error = problemAbout(report.takeError(), name);
    return llvm::Error::success();
  }
  if (*report) {
    entry.report = std::move(**report);
    entry.report->path = path;
  }
  return llvm::Error::success();
}

// The entry's kind and path; whiteouts name what they delete.
void classify(struct archive_entry *header, LayerEntry &entry) {
  entry.path =
      resolveEntryPath(archive_entry_pathname(header) ? archive_entry_pathname(header) : "");
  std::string_view base = entry.path;
  std::string dir;
  if (std::size_t slash = entry.path.rfind('/'); slash != std::string::npos) {
    base = std::string_view(entry.path).substr(slash + 1);
    dir = entry.path.substr(0, slash);
  }
  if (base == ".wh..wh..opq") {
    entry.kind = EntryKind::Opaque;
    entry.path = dir;
    return;
  }
  if (base.substr(0, 4) == ".wh.") {
    entry.kind = EntryKind::Whiteout;
    entry.path = (dir.empty() ? "" : dir + "/") + std::string(base.substr(4));
    return;
  }
  if (archive_entry_filetype(header) == AE_IFLNK) {
    const char *target = archive_entry_symlink(header);
    entry.kind = EntryKind::Symlink;
    entry.target = target ? target : "";
    return;
  }
  if (const char *link = archive_entry_hardlink(header)) {
    entry.kind = EntryKind::HardLink;
    entry.target = resolveEntryPath(link);
    return;
  }
  switch (archive_entry_filetype(header)) {
  case AE_IFREG:
    entry.kind = EntryKind::File;
    break;
  case AE_IFDIR:
    entry.kind = EntryKind::Directory;
    break;
  default:
    entry.kind = EntryKind::Other;
  }
}

} // namespace

llvm::Expected<LayerScan> scanLayer(const std::string &name, ChunkSource source,
                                    bool dependencies) {
  Sha256Chunks hashed(std::move(source));
  ArchiveInput input(name, hashed.chunks());
  std::unique_ptr<struct archive, ArchiveFree> archive(archive_read_new());
  if (!archive)
    return inputError(name, "cannot set up the tar reader");
  struct archive *a = archive.get();
  archive_read_support_format_tar(a);
  if (input.open(a) != ARCHIVE_OK)
    return inputError(name, "not a tar layer: " + archiveText(a));
  LayerScan scan;
  bool lastComplete = false; // the last entry's data was all there
  for (;;) {
    struct archive_entry *header = nullptr;
    int status = archive_read_next_header(a, &header);
    if (status == ARCHIVE_EOF)
      break;
    // umoci insert ends its layers right after the last entry's data, without the padding and
    // end-of-archive blocks; umoci unpack and Go's archive/tar take that, so does this (the
    // digest is what vouches for the blob's integrity).
    if (status < ARCHIVE_WARN && lastComplete && hashed.ended())
      break;
    if (status < ARCHIVE_WARN)
      return inputError(name,
                        (scan.entries.empty() ? "not a tar layer: " : "layer: ") + archiveText(a));
    LayerEntry entry;
    classify(header, entry);
    bool ended = false;
    if (entry.kind == EntryKind::File) {
      ArchiveDataStream stream(a, name, "layer", /*owned=*/false);
      if (llvm::Error error = readFileEntry(stream, name, entry, dependencies))
        return error;
      // The rest of the data, so that a layer that ends without the padding is told from one
      // that ends inside the data.
      if (auto skipped = stream.skip(UINT64_MAX); !skipped) {
        if (stream.position() != static_cast<std::uint64_t>(archive_entry_size(header)) ||
            !hashed.ended())
          return skipped.takeError();
        llvm::consumeError(skipped.takeError());
        ended = true;
      }
    }
    lastComplete = true;
    scan.entries.push_back(std::move(entry));
    if (ended)
      break;
  }
  if (llvm::Error error = hashed.drain())
    return error;
  scan.digest = hashed.digest();
  return scan;
}

} // namespace pkgnote::detail
