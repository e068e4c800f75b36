// SPDX-License-Identifier: MIT
// stream_adapters.h: a head served again, streams as chunks and chunks from a descriptor.
#include "io/stream_adapters.h"

#include "io/byte_source.h"
#include "io/decompress_stream.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace pkgnote::detail {

llvm::Expected<std::size_t> HeadThenStream::read(std::uint8_t *out, std::size_t size) {
  std::size_t fromHead = 0;
  if (position_ < head_.size()) {
    fromHead = std::min<std::size_t>(size, head_.size() - position_);
    std::memcpy(out, head_.data() + position_, fromHead);
    position_ += fromHead;
    if (fromHead == size)
      return fromHead;
  }
  auto got = noteFailure(rest_.read(out + fromHead, size - fromHead));
  if (!got)
    return got.takeError();
  position_ += *got;
  return fromHead + *got;
}

llvm::Expected<std::uint64_t> HeadThenStream::skip(std::uint64_t count) {
  std::uint64_t fromHead = 0;
  if (position_ < head_.size()) {
    fromHead = std::min<std::uint64_t>(count, head_.size() - position_);
    position_ += fromHead;
    if (fromHead == count)
      return fromHead;
  }
  auto got = noteFailure(rest_.skip(count - fromHead));
  if (!got)
    return got.takeError();
  position_ += *got;
  return fromHead + *got;
}

llvm::Expected<std::string> readHead(ForwardStream &stream, std::size_t size) {
  std::string head(size, '\0');
  std::size_t have = 0;
  while (have < head.size()) {
    auto got = stream.read(reinterpret_cast<std::uint8_t *>(head.data()) + have, size - have);
    if (!got)
      return got.takeError();
    if (*got == 0)
      break;
    have += *got;
  }
  head.resize(have);
  return head;
}

namespace {
constexpr std::size_t kChunkBytes = 64 << 10;
} // namespace

ChunkSource chunksOf(ForwardStream &stream) {
  auto buffer = std::make_shared<std::vector<std::uint8_t>>(kChunkBytes);
  return [&stream, buffer]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    auto got = stream.read(buffer->data(), buffer->size());
    if (!got)
      return got.takeError();
    return llvm::ArrayRef<std::uint8_t>(buffer->data(), *got);
  };
}

ChunkSource headThenChunks(std::string head, ChunkSource rest) {
  auto kept = std::make_shared<std::string>(std::move(head));
  auto given = std::make_shared<bool>(false);
  return [kept, given, rest]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    if (!*given) {
      *given = true;
      if (!kept->empty())
        return llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(kept->data()),
                                            kept->size());
    }
    return rest();
  };
}

ChunkSource descriptorChunks(int fd, std::string name) {
  auto buffer = std::make_shared<std::vector<std::uint8_t>>(kChunkBytes);
  return [fd, name, buffer]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    ssize_t got;
    do
      got = ::read(fd, buffer->data(), buffer->size());
    while (got < 0 && errno == EINTR);
    if (got < 0)
      return inputError(name, errnoText(errno));
    return llvm::ArrayRef<std::uint8_t>(buffer->data(), static_cast<std::size_t>(got));
  };
}

namespace {

class ChunkStream final : public BlockStream {
public:
  ChunkStream(std::string name, ChunkSource source)
      : name_(std::move(name)), source_(std::move(source)) {}
  const std::string &name() const override { return name_; }

private:
  llvm::Expected<bool> nextBlock() override {
    auto chunk = source_();
    if (!chunk)
      return chunk.takeError();
    setBlock(chunk->data(), chunk->size(), 0);
    return !chunk->empty();
  }

  std::string name_;
  ChunkSource source_;
};

class KeepingAlive final : public ForwardStream {
public:
  KeepingAlive(std::unique_ptr<ForwardStream> stream, std::shared_ptr<void> alive)
      : alive_(std::move(alive)), stream_(std::move(stream)) {}
  const std::string &name() const override { return stream_->name(); }
  llvm::Expected<std::size_t> read(std::uint8_t *out, std::size_t size) override {
    return stream_->read(out, size);
  }
  llvm::Expected<std::uint64_t> skip(std::uint64_t count) override { return stream_->skip(count); }
  std::uint64_t position() const override { return stream_->position(); }

private:
  std::shared_ptr<void> alive_; // destroyed after stream_, which reads from it
  std::unique_ptr<ForwardStream> stream_;
};

} // namespace

std::unique_ptr<ForwardStream> streamOfChunks(std::string name, ChunkSource source) {
  return std::make_unique<ChunkStream>(std::move(name), std::move(source));
}

std::unique_ptr<ForwardStream> keepingAlive(std::unique_ptr<ForwardStream> stream,
                                            std::shared_ptr<void> alive) {
  return std::make_unique<KeepingAlive>(std::move(stream), std::move(alive));
}

} // namespace pkgnote::detail
