// SPDX-License-Identifier: MIT
// Compressed inputs behind ForwardStream (decompress_stream.h): each compression through its own
// library (stream_codec.h, xz_decoder.h); libarchive only for an archive's member
// (ArchiveDataStream), whose blocks are taken as libarchive hands them out
// (archive_read_data_block), so skipping costs the decompression and nothing else.
#include "io/decompress_stream.h"

#include "io/byte_source.h"
#include "io/decoded_stream.h"
#include "io/xz_decoder.h"

#include <archive.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace pkgnote::detail {

std::optional<Compression> compressionOf(std::string_view head) {
  auto startsWith = [&](std::string_view magic) {
    return head.size() >= magic.size() && head.compare(0, magic.size(), magic) == 0;
  };
  using namespace std::string_view_literals;
  if (startsWith("\x28\xb5\x2f\xfd"sv))
    return Compression::Zstd;
  if (isXz(llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(head.data()),
                                        head.size())))
    return Compression::Xz;
  if (startsWith("\x04\x22\x4d\x18"sv)) // the frame format; the legacy one is not read
    return Compression::Lz4;
  if (startsWith("\x1f\x8b"sv))
    return Compression::Gzip;
  // "BZh", the block size '1' to '9', then a block's magic (the digits of pi) or, for empty data,
  // the end-of-stream magic (of sqrt(pi)): "BZh" alone starts text files too.
  if (head.size() >= 10 && startsWith("BZh"sv) && head[3] >= '1' && head[3] <= '9' &&
      (head.compare(4, 6, "\x31\x41\x59\x26\x53\x59"sv) == 0 ||
       head.compare(4, 6, "\x17\x72\x45\x38\x50\x90"sv) == 0))
    return Compression::Bzip2;
  return std::nullopt;
}

const char *compressionName(Compression compression) {
  switch (compression) {
  case Compression::Zstd:
    return "zstd";
  case Compression::Xz:
    return "xz";
  case Compression::Lz4:
    return "lz4";
  case Compression::Gzip:
    return "gzip";
  case Compression::Bzip2:
    return "bzip2";
  }
  return "compressed";
}

// libarchive's message, in the one message form (lowercase first letter, no final period).
static std::string archiveMessage(struct archive *archive) {
  const char *text = archive_error_string(archive);
  std::string raw = text && *text ? text : "unreadable data";
  // The raw format's refusal is all libarchive says of an empty or unreadable first block.
  if (raw == "Unrecognized archive format")
    raw = "no data, or none that decompresses";
  std::string message;
  for (char c : raw) {
    if (c == '\n' || (c == ' ' && !message.empty() && message.back() == ' '))
      continue;
    message += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  while (!message.empty() && (message.back() == '.' || message.back() == ' '))
    message.pop_back();
  return message;
}

ArchiveDataStream::ArchiveDataStream(struct archive *archive, std::string name, std::string what,
                                     bool owned)
    : archive_(archive), name_(std::move(name)), what_(std::move(what)), owned_(owned) {}

ArchiveDataStream::~ArchiveDataStream() {
  if (owned_)
    archive_read_free(archive_);
}

llvm::Expected<bool> BlockStream::fill() {
  while (blockLeft_ == 0 && holeLeft_ == 0 && !ended_) {
    auto more = nextBlock();
    if (!more)
      return more.takeError();
    ended_ = !*more;
  }
  return blockLeft_ > 0 || holeLeft_ > 0;
}

std::size_t BlockStream::take(std::uint8_t *out, std::uint64_t count) {
  if (holeLeft_ > 0) {
    std::size_t n = static_cast<std::size_t>(std::min(count, holeLeft_));
    if (out)
      std::memset(out, 0, n);
    holeLeft_ -= n;
    position_ += n;
    return n;
  }
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, blockLeft_));
  if (out)
    std::memcpy(out, block_, n);
  block_ += n;
  blockLeft_ -= n;
  position_ += n;
  return n;
}

llvm::Expected<std::uint64_t> BlockStream::pass(std::uint8_t *out, std::uint64_t count) {
  std::uint64_t done = 0;
  while (done < count) {
    auto more = fill();
    if (!more)
      return more.takeError();
    if (!*more)
      break;
    done += take(out ? out + done : nullptr, count - done);
  }
  return done;
}

llvm::Expected<std::size_t> BlockStream::read(std::uint8_t *out, std::size_t size) {
  auto done = pass(out, size);
  if (!done)
    return done.takeError();
  return static_cast<std::size_t>(*done);
}

llvm::Expected<std::uint64_t> BlockStream::skip(std::uint64_t count) {
  return pass(nullptr, count);
}

llvm::Expected<bool> ArchiveDataStream::nextBlock() {
  const void *data = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  int status = archive_read_data_block(archive_, &data, &size, &offset);
  if (status == ARCHIVE_EOF)
    return false;
  if (status < ARCHIVE_WARN)
    return inputError(name_, what_ + ": " + archiveMessage(archive_));
  if (offset < 0 || static_cast<std::uint64_t>(offset) < blockOffset_)
    return inputError(name_, what_ + ": block at an offset already passed");
  setBlock(static_cast<const std::uint8_t *>(data), size,
           static_cast<std::uint64_t>(offset) - blockOffset_);
  blockOffset_ = static_cast<std::uint64_t>(offset) + size;
  return true;
}

namespace {

// Block size for reading the compressed file: below glibc's
// mmap threshold (128 KiB), so that a walk over many small .gz files reuses the heap instead of
// mapping and unmapping a buffer per file.
constexpr std::size_t kFileBlockBytes = 64 << 10;

// xz through XzDecoder (io/xz_decoder.h: two blocks at a time where the blocks allow it).
class XzDataStream final : public BlockStream {
public:
  XzDataStream(std::string name, ChunkSource source)
      : name_(std::move(name)), decoder_(name_, std::move(source)) {}

  const std::string &name() const override { return name_; }

private:
  llvm::Expected<bool> nextBlock() override {
    auto chunk = decoder_.next();
    if (!chunk)
      return chunk.takeError();
    if (chunk->empty())
      return false;
    // As for libarchive's filters: one layer of compression is read, never a second.
    if (first_) {
      first_ = false;
      std::string_view head(reinterpret_cast<const char *>(chunk->data()), chunk->size());
      if (auto inner = compressionOf(head))
        return inputError(name_, std::string("compressed data inside compressed data (") +
                                     compressionName(*inner) + " inside xz)");
    }
    setBlock(chunk->data(), chunk->size(), 0);
    return true;
  }

  std::string name_;
  XzDecoder decoder_;
  bool first_ = true;
};

// The file at PATH in kFileBlockBytes reads, for the decoders.
llvm::Expected<ChunkSource> fileChunks(const std::string &path) {
  struct File {
    explicit File(int fd) : fd(fd) {}
    File(const File &) = delete;
    File &operator=(const File &) = delete;
    ~File() { ::close(fd); }
    int fd;
    std::unique_ptr<std::uint8_t[]> buffer{new std::uint8_t[kFileBlockBytes]};
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return inputError(path, errnoText(errno));
  auto file = std::make_shared<File>(fd);
  return [file, path]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    ssize_t got;
    do
      got = ::read(file->fd, file->buffer.get(), kFileBlockBytes);
    while (got < 0 && errno == EINTR);
    if (got < 0)
      return inputError(path, errnoText(errno));
    return llvm::ArrayRef<std::uint8_t>(file->buffer.get(), static_cast<std::size_t>(got));
  };
}

// The decoder of COMPRESSION (not xz) over SOURCE, named NAME.
llvm::Expected<std::unique_ptr<ForwardStream>>
openCodec(const std::string &name, Compression compression, ChunkSource source) {
  if (compression == Compression::Xz)
    return std::unique_ptr<ForwardStream>(new XzDataStream(name, std::move(source)));
  auto stream = openDecoded(name, compression, std::move(source));
  if (!stream)
    return stream.takeError();
  return std::unique_ptr<ForwardStream>(std::move(*stream));
}

} // namespace

llvm::Expected<std::unique_ptr<ForwardStream>> openDecompressedFile(const std::string &path,
                                                                    Compression compression) {
  auto chunks = fileChunks(path);
  if (!chunks)
    return chunks.takeError();
  return openCodec(path, compression, std::move(*chunks));
}

llvm::Expected<std::unique_ptr<ForwardStream>>
openDecompressedMemory(std::string_view bytes, const std::string &name, Compression compression) {
  bool given = false;
  auto source = [bytes, given]() mutable -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    if (std::exchange(given, true))
      return llvm::ArrayRef<std::uint8_t>();
    return llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                        bytes.size());
  };
  return openCodec(name, compression, source);
}

llvm::Expected<std::unique_ptr<ForwardStream>>
openDecompressedChunks(const std::string &name, Compression compression, ChunkSource source) {
  return openCodec(name, compression, std::move(source));
}

} // namespace pkgnote::detail
