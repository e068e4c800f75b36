// SPDX-License-Identifier: MIT
// MemberReader (member_reader.h). The head is read from the member's stream to tell ELF from the
// rest; the reader then gets a stream that serves the head again and continues where the member's
// stream is (io/stream_adapters.h's HeadThenStream, shared with the image reader and stdin), so
// the member is still read once, forward.
#include "verify/member_reader.h"

#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "io/stream_adapters.h"
#include "read/streamed_read.h"

namespace pkgnote::detail {

MemberReader::MemberReader(struct archive *a, std::string path, std::string package)
    : stream_(std::make_unique<ArchiveDataStream>(a, path, "payload", /*owned=*/false)),
      path_(std::move(path)), package_(std::move(package)) {}

MemberReader::~MemberReader() = default;

llvm::Error MemberReader::payloadError(llvm::Error error) const {
  return inputError(package_, path_ + ": " + problemAbout(std::move(error), path_));
}

llvm::Expected<std::string> MemberReader::head() {
  auto head = readHead(*stream_, kClassifyBytes);
  if (!head)
    return payloadError(head.takeError());
  head_ = *head;
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
  if (report) // "MZ" without PE headers (a DOS program): neither report nor error, passed over
    return member;
  if (payloadFailed)
    return payloadError(report.takeError());
  member.error = problemAbout(report.takeError(), path_);
  return member;
}

} // namespace pkgnote::detail
