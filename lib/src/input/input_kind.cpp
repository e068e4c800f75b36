// SPDX-License-Identifier: MIT
// inputKindOf and readStdin (input_kind.h). A compressed argument is looked into (its first
// decompressed block) to tell a compressed image archive from a compressed ELF file or core.
#include "input/input_kind.h"

#include "image/image_reader.h"
#include "input/read_source.h"
#include "io/byte_source.h"
#include "io/captured_source.h"
#include "io/decompress_stream.h"
#include "io/stream_adapters.h"
#include "read/streamed_read.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pkgnote::detail {
namespace {

// A tar header is 512 bytes; "ustar" sits at 257.
constexpr std::size_t kHeadBytes = 512;

// Up to kHeadBytes from the start of SOURCE, read chunk by chunk (a pipe gives what it has).
llvm::Expected<std::string> headOfChunks(const ChunkSource &source) {
  std::string head;
  while (head.size() < kHeadBytes) {
    auto chunk = source();
    if (!chunk)
      return chunk.takeError();
    if (chunk->empty())
      break;
    head.append(reinterpret_cast<const char *>(chunk->data()), chunk->size());
  }
  return head;
}

} // namespace

InputKind inputKindOf(const std::string &path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0)
    return InputKind::Ordinary;
  if (S_ISDIR(info.st_mode))
    return isImageLayout(path) ? InputKind::ImageLayout : InputKind::Ordinary;
  if (!S_ISREG(info.st_mode))
    return InputKind::Ordinary;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return InputKind::Ordinary;
  char head[kHeadBytes];
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (got <= 0)
    return InputKind::Ordinary;
  std::string_view bytes(head, static_cast<std::size_t>(got));
  if (isTarHead(bytes))
    return InputKind::ImageArchive;
  auto compression = compressionOf(bytes);
  if (!compression)
    return InputKind::Ordinary;
  auto stream = openDecompressedFile(path, *compression);
  if (!stream) {
    llvm::consumeError(stream.takeError()); // the ELF reader reports it
    return InputKind::Ordinary;
  }
  auto decompressed = readHead(**stream, kHeadBytes);
  if (!decompressed) {
    llvm::consumeError(decompressed.takeError());
    return InputKind::Ordinary;
  }
  return isTarHead(*decompressed) ? InputKind::ImageArchive : InputKind::Ordinary;
}

namespace {

// STREAM (stdin's bytes, decompressed when they were), HEAD already read from it.
void readStdinStream(std::string head, ForwardStream &stream, const ReadOptions &options,
                     const StdinSink &sink) {
  if (isTarHead(head)) {
    readImageArchive("-", headThenChunks(std::move(head), chunksOf(stream)), options, sink);
    return;
  }
  bool failed = false;
  auto whole = std::make_unique<HeadThenStream>(std::move(head), stream, failed);
  // A pipe cannot be read again: bytes wanted behind the stream are an error.
  auto report = readStreamed(std::move(whole), StreamOpener(), [&](const ByteSource &source) {
    return readSource(source, options, nullptr);
  });
  if (!report)
    return sink(toPublicError(report.takeError()));
  if (!*report)
    return sink(
        inputProblem("-", "not an ELF file, core, PE image, compressed file or image archive"));
  sink(std::move(*report));
}

} // namespace

void readStdin(const ReadOptions &options, const StdinSink &sink) {
  ChunkSource input = descriptorChunks(STDIN_FILENO, "-");
  auto head = headOfChunks(input);
  if (!head)
    return sink(toPublicError(head.takeError()));
  auto compression = compressionOf(*head);
  ChunkSource whole = headThenChunks(*head, input);
  if (!compression) {
    std::unique_ptr<ForwardStream> stream = streamOfChunks("-", whole);
    auto again = readHead(*stream, kHeadBytes);
    if (!again)
      return sink(toPublicError(again.takeError()));
    return readStdinStream(std::move(*again), *stream, options, sink);
  }
  auto stream = openDecompressedChunks("-", *compression, whole);
  if (!stream)
    return sink(toPublicError(stream.takeError()));
  auto decompressed = readHead(**stream, kHeadBytes);
  if (!decompressed)
    return sink(toPublicError(decompressed.takeError()));
  readStdinStream(std::move(*decompressed), **stream, options, sink);
}

} // namespace pkgnote::detail
