// SPDX-License-Identifier: MIT
// Runs the XzDecoder over bytes handed out in chunks of a chosen size (one byte at a time, as a
// pipe may; 7 bytes, which splits every header; all at once; random sizes), and checks what it
// gives against liblzma's own decoder (xz_streams.h).
#pragma once

#include "xz_streams.h"

#include "io/xz_decoder.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>

namespace pkgnote::testing {

enum class Chunking { Whole, Bytes1, Bytes7, Random };

inline std::string chunkingName(Chunking chunking) {
  switch (chunking) {
  case Chunking::Whole:
    return "Whole";
  case Chunking::Bytes1:
    return "Bytes1";
  case Chunking::Bytes7:
    return "Bytes7";
  case Chunking::Random:
    return "Random";
  }
  return "?";
}

// The bytes of one input as an XzDecoder::Source. Each chunk is a fresh copy that is scribbled
// over and freed at the next call, so a decoder that keeps a chunk past the next call reads
// garbage (and ASan sees it). FAIL_AT: the source fails once it has handed out that many bytes.
class ChunkedSource {
public:
  ChunkedSource(llvm::ArrayRef<std::uint8_t> bytes, Chunking chunking,
                std::size_t failAt = SIZE_MAX)
      : bytes_(bytes), chunking_(chunking), failAt_(failAt) {}

  detail::XzDecoder::Source source() {
    return [this]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> { return next(); };
  }
  // Whether every call came from the thread that made this source (the one calling next()).
  bool onlyCallersThread() const { return !otherThread_; }

private:
  llvm::Expected<llvm::ArrayRef<std::uint8_t>> next() {
    if (std::this_thread::get_id() != owner_)
      otherThread_ = true;
    if (chunk_)
      std::memset(chunk_.get(), 0xA5, chunkSize_);
    chunk_.reset();
    if (at_ >= failAt_)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "'t.xz': read error: injected at byte %zu", at_);
    std::size_t size = std::min(nextSize(), std::min(bytes_.size(), failAt_) - at_);
    if (size == 0)
      return llvm::ArrayRef<std::uint8_t>();
    chunk_ = std::make_unique<std::uint8_t[]>(size);
    std::memcpy(chunk_.get(), bytes_.data() + at_, size);
    chunkSize_ = size;
    at_ += size;
    return llvm::ArrayRef<std::uint8_t>(chunk_.get(), size);
  }
  std::size_t nextSize() {
    switch (chunking_) {
    case Chunking::Whole:
      return SIZE_MAX;
    case Chunking::Bytes1:
      return 1;
    case Chunking::Bytes7:
      return 7;
    case Chunking::Random:
      // Mostly small, sometimes large, with a fixed seed so that a failure replays.
      return random_() % 8 == 0 ? 1 + random_() % 70000 : 1 + random_() % 300;
    }
    return 1;
  }

  llvm::ArrayRef<std::uint8_t> bytes_;
  Chunking chunking_;
  std::size_t failAt_;
  std::size_t at_ = 0;
  std::unique_ptr<std::uint8_t[]> chunk_;
  std::size_t chunkSize_ = 0;
  std::mt19937 random_{20240601};
  std::thread::id owner_ = std::this_thread::get_id();
  std::atomic<bool> otherThread_{false};
};

struct XzRun {
  Bytes out;
  std::optional<std::string> error;
  std::uint64_t ahead = 0;
  bool onlyCallersThread = true;
};

// Everything the XzDecoder hands out for BYTES, and its error. MAX_OUT stops a decoder that
// would not end (and the runs that only want a start).
inline XzRun runXzDecoder(llvm::ArrayRef<std::uint8_t> bytes, Chunking chunking,
                          const detail::XzDecoderLimits &limits,
                          std::size_t maxOut = std::size_t{64} << 20,
                          std::size_t failAt = SIZE_MAX) {
  XzRun run;
  ChunkedSource source(bytes, chunking, failAt);
  {
    detail::XzDecoder decoder("t.xz", source.source(), limits);
    while (run.out.size() < maxOut) {
      llvm::Expected<llvm::ArrayRef<std::uint8_t>> got = decoder.next();
      if (!got) {
        run.error = llvm::toString(got.takeError());
        break;
      }
      if (got->empty())
        break;
      run.out.insert(run.out.end(), got->begin(), got->end());
    }
    run.ahead = decoder.blocksDecodedAhead();
  }
  run.onlyCallersThread = source.onlyCallersThread();
  return run;
}

inline detail::XzDecoderLimits
aheadLimits(bool decodeAhead = true,
            std::uint64_t aheadBudget = detail::XzDecoderLimits{}.aheadBudget) {
  detail::XzDecoderLimits limits;
  limits.decodeAhead = decodeAhead;
  limits.aheadBudget = aheadBudget;
  return limits;
}

// Where A and B first differ, for a failure message (byte vectors are too long to print).
inline std::string firstDifference(const Bytes &a, const Bytes &b) {
  auto at = std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin());
  return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
         ", first difference at " + std::to_string(at.first - a.begin());
}

// The XzDecoder's run over an input must match liblzma's (ORACLE): the same bytes when liblzma
// succeeds, a failure when it fails. A failing run may have handed out less than liblzma, but
// only a prefix of it, and at least OUTPUT_BEFORE bytes: the blocks that lie whole before the
// damage were checked and are the caller's, as they are liblzma's caller's.
inline void expectLikeLiblzma(const XzRun &run, const OracleResult &oracle,
                              std::uint64_t outputBefore) {
  EXPECT_TRUE(run.onlyCallersThread) << "the source was called from another thread";
  if (oracle.ok()) {
    EXPECT_FALSE(run.error) << *run.error;
    EXPECT_TRUE(run.out == oracle.out) << firstDifference(run.out, oracle.out);
    return;
  }
  EXPECT_TRUE(run.error) << "liblzma fails (lzma_ret " << oracle.ret
                         << ") but the XzDecoder succeeds with " << run.out.size() << " bytes";
  bool prefix = run.out.size() <= oracle.out.size() &&
                std::equal(run.out.begin(), run.out.end(), oracle.out.begin());
  EXPECT_TRUE(prefix) << "not a prefix of liblzma's output: "
                      << firstDifference(run.out, oracle.out);
  EXPECT_GE(run.out.size(), outputBefore)
      << "blocks that end before the damage were not all handed out";
  if (run.error) {
    EXPECT_EQ(run.error->rfind("'t.xz': xz data: ", 0), 0u) << *run.error;
    EXPECT_EQ(run.error->find('\n'), std::string::npos) << *run.error;
  }
}

} // namespace pkgnote::testing
