// SPDX-License-Identifier: MIT
// MemberReader (member_reader.h). The head is read from the member's stream to tell ELF from the
// rest; the reader then gets a stream that serves the head again and continues where the member's
// stream is, so the member is still read once, forward.
#include "verify/member_reader.h"

#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "read/streamed_read.h"

#include <cstring>

namespace pkgnote::detail {
namespace {

// HEAD, then the rest of STREAM. A failure of STREAM is remembered: it is the payload's, not the
// ELF member's.
class HeadThenStream final : public ForwardStream {
public:
  HeadThenStream(std::string head, ForwardStream &rest, bool &restFailed)
      : head_(std::move(head)), rest_(rest), restFailed_(restFailed) {}

  const std::string &name() const override { return rest_.name(); }
  llvm::Expected<std::size_t> read(std::uint8_t *out, std::size_t size) override {
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
  llvm::Expected<std::uint64_t> skip(std::uint64_t count) override {
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
  std::uint64_t position() const override { return position_; }

private:
  template <class T> llvm::Expected<T> noteFailure(llvm::Expected<T> value) {
    if (!value)
      restFailed_ = true;
    return value;
  }

  std::string head_;
  ForwardStream &rest_;
  bool &restFailed_;
  std::uint64_t position_ = 0;
};

} // namespace

MemberReader::MemberReader(struct archive *a, std::string path, std::string package)
    : stream_(std::make_unique<ArchiveDataStream>(a, path, "payload", /*owned=*/false)),
      path_(std::move(path)), package_(std::move(package)) {}

MemberReader::~MemberReader() = default;

llvm::Error MemberReader::payloadError(llvm::Error error) const {
  return inputError(package_, path_ + ": " + messageWithoutName(std::move(error), path_));
}

llvm::Expected<std::string> MemberReader::head() {
  head_.resize(kClassifyBytes);
  std::size_t have = 0;
  while (have < head_.size()) {
    auto got = stream_->read(reinterpret_cast<std::uint8_t *>(head_.data()) + have,
                             head_.size() - have);
    if (!got)
      return payloadError(got.takeError());
    if (*got == 0)
      break;
    have += *got;
  }
  head_.resize(have);
  return head_;
}

llvm::Expected<MemberReport> MemberReader::readElf() {
  bool payloadFailed = false;
  auto whole = std::make_unique<HeadThenStream>(std::move(head_), *stream_, payloadFailed);
  // A member being walked cannot be opened again: bytes wanted behind the stream are an error.
  auto report = readStreamed(std::move(whole), StreamOpener(), readElfSource);
  MemberReport member;
  if (report && *report) {
    member.report = std::move(**report);
    return member;
  }
  if (report) { // the head was ELF, so this cannot happen; said rather than asserted
    member.error = "not an ELF file";
    return member;
  }
  if (payloadFailed)
    return payloadError(report.takeError());
  member.error = messageWithoutName(report.takeError(), path_);
  return member;
}

} // namespace pkgnote::detail
