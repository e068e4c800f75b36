// SPDX-License-Identifier: MIT
// Address-to-file translation for core files (see core_memory.h). Reads may span adjacent
// segments, as a module's pages can be split across PT_LOADs by protection.
#include "core/core_memory.h"

#include "read/elf_notes.h"

#include <algorithm>
#include <iterator>

namespace pkgnote::detail {

CoreMemory::CoreMemory(const ByteSource &core, std::vector<CoreSegment> segments) : core_(core) {
  segments.erase(std::remove_if(segments.begin(), segments.end(),
                                [](const CoreSegment &s) { return s.size == 0; }),
                 segments.end());
  std::sort(segments.begin(), segments.end(),
            [](const CoreSegment &a, const CoreSegment &b) { return a.address < b.address; });
  segments_ = std::make_shared<const std::vector<CoreSegment>>(std::move(segments));
}

const CoreSegment *CoreMemory::findIn(const std::vector<CoreSegment> &segments,
                                      std::uint64_t address) {
  auto it = std::upper_bound(
      segments.begin(), segments.end(), address,
      [](std::uint64_t value, const CoreSegment &segment) { return value < segment.address; });
  if (it == segments.begin())
    return nullptr;
  --it;
  if (address - it->address >= it->size)
    return nullptr;
  return &*it;
}

const CoreSegment *CoreMemory::find(std::uint64_t address) const {
  if (const CoreSegment *segment = findIn(*segments_, address))
    return segment;
  return aliases_.empty() ? nullptr : findIn(aliases_, address);
}

bool CoreMemory::isBacked(std::uint64_t address, std::uint64_t size) const {
  while (size > 0) {
    const CoreSegment *segment = find(address);
    if (!segment)
      return false;
    std::uint64_t available = segment->size - (address - segment->address);
    if (available >= size)
      return true;
    address += available;
    size -= available;
  }
  return true;
}

bool CoreMemory::overlaps(std::uint64_t address, std::uint64_t size) const {
  std::uint64_t end = address + size < address ? UINT64_MAX : address + size;
  // In a sorted list, the last segment starting before END is the only one that can reach back
  // into the range.
  auto reaches = [&](const std::vector<CoreSegment> &segments) {
    auto it = std::lower_bound(
        segments.begin(), segments.end(), end,
        [](const CoreSegment &segment, std::uint64_t value) { return segment.address < value; });
    return it != segments.begin() && std::prev(it)->address + std::prev(it)->size > address;
  };
  return reaches(*segments_) || reaches(aliases_);
}

std::uint64_t CoreMemory::backedFrom(std::uint64_t address) const {
  std::uint64_t total = 0;
  while (const CoreSegment *segment = find(address)) {
    std::uint64_t available = segment->size - (address - segment->address);
    total += available;
    if (address + available < address)
      break;
    address += available;
  }
  return total;
}

CoreMemory CoreMemory::withAlias(std::uint64_t at, std::uint64_t from, std::uint64_t size) const {
  CoreMemory view(*this);
  for (std::uint64_t done = 0; done < size;) {
    const CoreSegment *source = find(from + done);
    if (!source)
      break;
    std::uint64_t within = from + done - source->address;
    std::uint64_t chunk = std::min(size - done, source->size - within);
    if (!view.overlaps(at + done, chunk))
      view.aliases_.push_back({at + done, source->offset + within, chunk});
    done += chunk;
  }
  std::sort(view.aliases_.begin(), view.aliases_.end(),
            [](const CoreSegment &a, const CoreSegment &b) { return a.address < b.address; });
  return view;
}

llvm::Error CoreMemory::readChecked(std::uint64_t address, std::uint8_t *out, std::size_t size,
                                    std::string_view) const {
  std::uint64_t start = address;
  while (size > 0) {
    const CoreSegment *segment = find(address);
    if (!segment)
      return inputError(name(), "address " + hexText(address) + " (reading from " + hexText(start) +
                                    ") is not in the core");
    std::uint64_t within = address - segment->address;
    std::size_t chunk =
        static_cast<std::size_t>(std::min<std::uint64_t>(size, segment->size - within));
    std::vector<std::uint8_t> buffer;
    if (llvm::Error error = core_.read(segment->offset + within, chunk, buffer, "memory"))
      return error;
    std::copy(buffer.begin(), buffer.end(), out);
    out += chunk;
    address += chunk;
    size -= chunk;
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> CoreMemory::readString(std::uint64_t address, std::size_t max,
                                                   std::string_view what) const {
  std::string text;
  while (text.size() < max) {
    const CoreSegment *segment = find(address);
    if (!segment)
      return inputError(name(),
                        std::string(what) + " at " + hexText(address) + " is not in the core");
    std::uint64_t within = address - segment->address;
    std::uint64_t chunk = std::min<std::uint64_t>({segment->size - within, 256, max - text.size()});
    std::vector<std::uint8_t> buffer;
    if (llvm::Error error = core_.read(segment->offset + within, chunk, buffer, what))
      return error;
    auto nul = std::find(buffer.begin(), buffer.end(), 0);
    text.append(buffer.begin(), nul);
    if (nul != buffer.end())
      return text;
    address += chunk;
  }
  return inputError(name(), std::string(what) + " at " + hexText(address) + " is longer than " +
                                std::to_string(max) + " bytes");
}

} // namespace pkgnote::detail
