// SPDX-License-Identifier: MIT
// Captured ranges of a forward stream, served as a ByteSource (captured_source.h).
#include "io/captured_source.h"

#include <algorithm>
#include <cstring>

namespace pkgnote::detail {

void CaptureStore::add(std::uint64_t offset, const std::uint8_t *bytes, std::size_t size) {
  if (size == 0)
    return;
  chunks_[offset].assign(bytes, bytes + size);
  captured_ += size;
}

bool CaptureStore::copy(std::uint64_t offset, std::uint8_t *out, std::size_t size) const {
  // A read may span adjacent chunks (captured in different passes).
  while (size > 0) {
    auto it = chunks_.upper_bound(offset);
    if (it == chunks_.begin())
      return false;
    --it;
    std::uint64_t within = offset - it->first;
    if (within >= it->second.size())
      return false;
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, it->second.size() - within));
    std::memcpy(out, it->second.data() + within, n);
    out += n;
    offset += n;
    size -= n;
  }
  return true;
}

std::vector<ByteRange> CaptureStore::missing(ByteRange range) const {
  std::vector<ByteRange> gaps;
  std::uint64_t at = range.offset, end = range.end();
  auto it = chunks_.upper_bound(at);
  if (it != chunks_.begin())
    --it;
  for (; at < end && it != chunks_.end(); ++it) {
    std::uint64_t chunkEnd = it->first + it->second.size();
    if (chunkEnd <= at)
      continue;
    if (it->first >= end)
      break;
    if (it->first > at)
      gaps.push_back({at, it->first - at});
    at = chunkEnd;
  }
  if (at < end)
    gaps.push_back({at, end - at});
  return gaps;
}

std::uint64_t CapturedSource::size() const {
  if (store_.ended())
    return store_.size();
  wants_.end = true;
  return UINT64_MAX;
}

bool CapturedSource::holds(std::uint64_t end) const {
  if (end <= store_.seen())
    return true;
  if (store_.ended())
    return false;
  wants_.reach = std::max(wants_.reach, end);
  return true;
}

void CapturedSource::expect(std::uint64_t offset, std::uint64_t size) const {
  if (size > 0 && offset + size > offset && !store_.missing({offset, size}).empty())
    wants_.expected.push_back({offset, size});
}

llvm::Error CapturedSource::readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                                        std::string_view what) const {
  if (store_.copy(offset, out, size))
    return llvm::Error::success();
  if (offset < behind_)
    return inputError(name_, llvm::Twine(what) + " at " + hexText(offset) + "+" + hexText(size) +
                                 " lies behind the stream, which cannot be read again");
  wants_.bytes.push_back({offset, size});
  return inputError(name_, llvm::Twine(what) + " at " + hexText(offset) + "+" + hexText(size) +
                               " not captured from the stream yet");
}

} // namespace pkgnote::detail
