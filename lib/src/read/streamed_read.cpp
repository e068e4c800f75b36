// SPDX-License-Identifier: MIT
// The pass driver of streamed_read.h. Each loop: run the reader over what is kept; if it wanted
// nothing, its result is the file's; otherwise capture the first wanted range still ahead of the
// stream (or go to the offset it must be seen to reach, or to the end), or, when all it wants is
// behind, start another pass.
#include "read/streamed_read.h"

#include "io/captured_source.h"
#include "pkgnote/limits.h"
#include "read/elf_notes.h"

#include <algorithm>

namespace pkgnote::detail {
namespace {

// Wanted ranges are widened to whole pages: a module's header, program headers and notes, or
// neighbouring link_map entries, usually share one, and a widened capture spares a run or a pass.
constexpr std::uint64_t kPage = 4096;

// The missing parts of WANTED, widened, merged and in order.
std::vector<ByteRange> rangesToCapture(const std::vector<ByteRange> &wanted,
                                       const CaptureStore &store) {
  std::vector<ByteRange> widened;
  for (const ByteRange &range : wanted) {
    std::uint64_t start = range.offset / kPage * kPage;
    std::uint64_t end = range.end() > UINT64_MAX - kPage ? UINT64_MAX
                                                         : (range.end() + kPage - 1) / kPage * kPage;
    if (store.ended())
      end = std::min(end, store.size());
    if (start < end)
      widened.push_back({start, end - start});
  }
  std::sort(widened.begin(), widened.end(),
            [](const ByteRange &a, const ByteRange &b) { return a.offset < b.offset; });
  std::vector<ByteRange> merged;
  for (const ByteRange &range : widened) {
    if (!merged.empty() && range.offset <= merged.back().end())
      merged.back().size = std::max(merged.back().end(), range.end()) - merged.back().offset;
    else
      merged.push_back(range);
  }
  std::vector<ByteRange> missing;
  for (const ByteRange &range : merged)
    for (const ByteRange &gap : store.missing(range))
      missing.push_back(gap);
  return missing;
}

class PassDriver {
public:
  PassDriver(std::unique_ptr<ForwardStream> stream, const StreamOpener &reopen,
             StreamReadStats &stats)
      : stream_(std::move(stream)), reopen_(reopen), stats_(stats), name_(stream_->name()) {}

  llvm::Expected<std::optional<FileReport>> run(const SourceReader &read);

private:
  // Moves the stream on to serve WANTS (or starts another pass).
  llvm::Error advance(const Wants &wants);
  llvm::Error passTo(std::uint64_t offset);
  llvm::Error skipTo(std::uint64_t offset);
  llvm::Error keep(ByteRange range);
  llvm::Error newPass(const ByteRange &behind);
  llvm::Error giveUp(llvm::Error error);
  void countStreamed(std::uint64_t from) { stats_.streamed += stream_->position() - from; }

  std::unique_ptr<ForwardStream> stream_;
  const StreamOpener &reopen_;
  StreamReadStats &stats_;
  std::string name_;
  CaptureStore store_;
  std::vector<ByteRange> expected_; // what the last run expected to read, in order
  std::string behind_; // why bytes wanted behind the stream could not be had, once they were
};

llvm::Expected<std::optional<FileReport>> PassDriver::run(const SourceReader &read) {
  stats_.passes = 1;
  for (;;) {
    Wants wants;
    // Once bytes were wanted behind a stream that cannot be read again, the reader runs on
    // without them: reads that start behind fail as such, and a reader that can do without them
    // (the dynamic strings of `read --deps`) says so in its report instead of failing whole.
    CapturedSource source(store_, name_, wants, behind_.empty() ? 0 : stream_->position());
    auto result = read(source);
    ++stats_.runs;
    stats_.captured = store_.capturedBytes();
    if (wants.empty()) {
      if (!result)
        return giveUp(result.takeError());
      return result;
    }
    if (!result)
      llvm::consumeError(result.takeError()); // a run short of bytes: its error means nothing
    if (stats_.runs >= kMaxStreamRuns)
      return giveUp(inputError(name_, "still short of bytes after " +
                                          std::to_string(stats_.runs) + " runs of the reader"));
    bool wasBehind = !behind_.empty();
    if (llvm::Error error = advance(wants)) {
      if (wasBehind || behind_.empty())
        return giveUp(std::move(error));
      llvm::consumeError(std::move(error)); // the reader runs again, without those bytes
    }
  }
}

// ERROR, or the first error of bytes wanted behind the stream, the reason the reader went on.
llvm::Error PassDriver::giveUp(llvm::Error error) {
  if (behind_.empty())
    return error;
  llvm::consumeError(std::move(error));
  return inputError(name_, behind_);
}

llvm::Error PassDriver::advance(const Wants &wants) {
  std::vector<ByteRange> ranges = rangesToCapture(wants.bytes, store_);
  expected_ = rangesToCapture(wants.expected, store_);
  std::uint64_t total = store_.capturedBytes();
  for (const ByteRange &range : ranges)
    total += range.size;
  if (total > kReadBudgetBytes)
    return inputError(name_, "more than " + hexText(kReadBudgetBytes) +
                                 " bytes of the decompressed data wanted");
  std::uint64_t at = stream_->position();
  auto ahead = std::find_if(ranges.begin(), ranges.end(),
                            [&](const ByteRange &range) { return range.offset >= at; });
  if (ahead != ranges.end()) {
    if (llvm::Error error = passTo(ahead->offset))
      return error;
    return keep(*ahead);
  }
  if (!ranges.empty())
    return newPass(ranges.front());
  // Only a reach or the end is wanted: both lie ahead (the stream has not been seen there).
  return passTo(wants.end ? UINT64_MAX : wants.reach);
}

// Passes bytes up to OFFSET (or the end), keeping the expected ranges on the way.
llvm::Error PassDriver::passTo(std::uint64_t offset) {
  for (const ByteRange &range : expected_) {
    std::uint64_t at = stream_->position();
    if (range.end() <= at)
      continue;
    if (range.offset >= offset || at >= offset)
      break;
    // Expected bytes are a guess: they may take a quarter of the budget, wanted ones the rest.
    if (store_.capturedBytes() + range.size > kReadBudgetBytes / 4)
      break;
    std::uint64_t start = std::max(range.offset, at);
    if (llvm::Error error = keep({start, std::min(range.end(), offset) - start}))
      return error;
  }
  return skipTo(offset);
}

llvm::Error PassDriver::skipTo(std::uint64_t offset) {
  std::uint64_t from = stream_->position();
  if (offset <= from)
    return llvm::Error::success();
  auto skipped = stream_->skip(offset - from);
  countStreamed(from);
  if (!skipped)
    return skipped.takeError();
  store_.sawUpTo(stream_->position());
  if (stream_->position() < offset)
    store_.sawEnd(stream_->position());
  return llvm::Error::success();
}

// The parts of RANGE not kept yet, read from the stream (at or before RANGE.offset).
llvm::Error PassDriver::keep(ByteRange range) {
  for (const ByteRange &gap : store_.missing(range)) {
    if (llvm::Error error = skipTo(gap.offset))
      return error;
    if (stream_->position() < gap.offset) // the stream ended before it
      return llvm::Error::success();
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(gap.size));
    std::uint64_t from = stream_->position();
    auto got = stream_->read(bytes.data(), bytes.size());
    countStreamed(from);
    if (!got)
      return got.takeError();
    store_.add(gap.offset, bytes.data(), *got);
    store_.sawUpTo(stream_->position());
    if (*got < bytes.size()) {
      store_.sawEnd(stream_->position());
      break;
    }
  }
  return llvm::Error::success();
}

llvm::Error PassDriver::newPass(const ByteRange &behind) {
  if (!reopen_) {
    std::string message = "bytes at " + hexText(behind.offset) + "+" + hexText(behind.size) +
                          " are wanted after the stream went past them (at " +
                          hexText(stream_->position()) + "), and it cannot be read again";
    if (behind_.empty())
      behind_ = message;
    return inputError(name_, message);
  }
  if (stats_.passes >= kMaxStreamPasses)
    return inputError(name_, "still short of bytes after " + std::to_string(stats_.passes) +
                                 " passes over the decompressed data");
  auto stream = reopen_();
  if (!stream)
    return stream.takeError();
  stream_ = std::move(*stream);
  ++stats_.passes;
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::optional<FileReport>> readStreamed(std::unique_ptr<ForwardStream> stream,
                                                       const StreamOpener &reopen,
                                                       const SourceReader &read,
                                                       StreamReadStats *stats) {
  StreamReadStats local;
  PassDriver driver(std::move(stream), reopen, stats ? *stats : local);
  return driver.run(read);
}

} // namespace pkgnote::detail
