// SPDX-License-Identifier: MIT
// The ELF reader over a forward-only stream (forward_stream.h), without writing the stream
// anywhere: the reader runs over a CapturedSource, which serves the byte ranges captured from the
// stream so far and, for anything else, notes what was wanted and fails. A driver
// (read/streamed_read.h) then passes over the stream capturing what was wanted and runs the reader
// again, until a run wants nothing new: that run read exactly the bytes a run over the whole
// decompressed file would have read, and its report is that file's report.
//
// Three kinds of want: bytes (a read not yet captured), reach (whether the stream extends to an
// offset, which holds() answers: a core's segments are checked to lie within the file), and the
// end (size(): only a message or a truncated core needs it). Until the stream has been seen to
// reach an offset, holds() answers yes and notes the want, so that the run goes on and finds what
// else it needs; a run that noted a want is never the final one, whatever it answered.
#pragma once

#include "io/byte_source.h"

#include <cstdint>
#include <map>
#include <vector>

namespace pkgnote::detail {

struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t end() const { return offset + size; }
};

// What one run of the reader could not be given.
struct Wants {
  std::vector<ByteRange> bytes;
  std::uint64_t reach = 0; // the stream must be seen to hold [0, reach)
  bool end = false;        // the stream's size must be known
  // Not wants: ranges the reader expects to read (ByteSource::expect), kept if passed on the way.
  std::vector<ByteRange> expected;
  bool empty() const { return bytes.empty() && reach == 0 && !end; }
};

// The bytes captured from one stream over all its passes, and what is known of its length.
class CaptureStore {
public:
  // Keeps a copy of [OFFSET, OFFSET + SIZE), which must not overlap what is kept already.
  void add(std::uint64_t offset, const std::uint8_t *bytes, std::size_t size);
  // Copies [OFFSET, OFFSET + SIZE) to OUT if all of it is kept; false otherwise.
  bool copy(std::uint64_t offset, std::uint8_t *out, std::size_t size) const;
  // The parts of RANGE not kept yet, in order.
  std::vector<ByteRange> missing(ByteRange range) const;

  // The stream was seen to hold [0, END).
  void sawUpTo(std::uint64_t end) { seen_ = end > seen_ ? end : seen_; }
  // The stream was seen to end at SIZE.
  void sawEnd(std::uint64_t size) {
    sawUpTo(size);
    size_ = size;
    ended_ = true;
  }
  std::uint64_t seen() const { return seen_; }
  bool ended() const { return ended_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t capturedBytes() const { return captured_; }

private:
  std::map<std::uint64_t, std::vector<std::uint8_t>> chunks_; // by offset, disjoint
  std::uint64_t captured_ = 0;
  std::uint64_t seen_ = 0;
  std::uint64_t size_ = 0;
  bool ended_ = false;
};

// One run's view of a CaptureStore; a new one per run, so that each run has the whole read
// budget (ByteSource counts the bytes it hands out), as a run over the file would.
class CapturedSource final : public ByteSource {
public:
  // BEHIND, when not 0, is where a stream that cannot be read again stands: a read of bytes not
  // captured that start before it fails without being noted as a want, so that a reader that can
  // do without them (`read --deps` without the dynamic strings) says so instead of failing whole.
  CapturedSource(const CaptureStore &store, std::string name, Wants &wants,
                 std::uint64_t behind = 0)
      : store_(store), name_(std::move(name)), wants_(wants), behind_(behind) {}

  const std::string &name() const override { return name_; }
  // The stream's size once it was seen to end; before that, as large as can be (and noted).
  std::uint64_t size() const override;
  bool holds(std::uint64_t end) const override;
  void expect(std::uint64_t offset, std::uint64_t size) const override;

private:
  // Captured bytes, or a "not captured yet" error with the range noted.
  llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                          std::string_view what) const override;

  const CaptureStore &store_;
  std::string name_;
  Wants &wants_;
  std::uint64_t behind_;
};

} // namespace pkgnote::detail
