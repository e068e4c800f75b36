// Address-to-file translation for core files (see core_memory.h). Reads may span adjacent
// segments, as a module's pages can be split across PT_LOADs by protection.
#include "core/core_memory.h"

#include "read/elf_notes.h"

#include <algorithm>

namespace pkgnote::detail {

CoreMemory::CoreMemory(const ByteSource &core, std::vector<CoreSegment> segments)
    : core_(core), segments_(std::move(segments)) {
  segments_.erase(std::remove_if(segments_.begin(), segments_.end(),
                                 [](const CoreSegment &s) { return s.size == 0; }),
                  segments_.end());
  std::sort(segments_.begin(), segments_.end(),
            [](const CoreSegment &a, const CoreSegment &b) { return a.address < b.address; });
}

const CoreSegment *CoreMemory::find(std::uint64_t address) const {
  auto it = std::upper_bound(
      segments_.begin(), segments_.end(), address,
      [](std::uint64_t value, const CoreSegment &segment) { return value < segment.address; });
  if (it == segments_.begin())
    return nullptr;
  --it;
  if (address - it->address >= it->size)
    return nullptr;
  return &*it;
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
  // The last segment starting before END is the only one that can reach back into the range.
  auto it = std::lower_bound(
      segments_.begin(), segments_.end(), end,
      [](const CoreSegment &segment, std::uint64_t value) { return segment.address < value; });
  if (it == segments_.begin())
    return false;
  --it;
  return it->address + it->size > address;
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
  std::vector<CoreSegment> segments = segments_;
  for (std::uint64_t done = 0; done < size;) {
    const CoreSegment *source = find(from + done);
    if (!source)
      break;
    std::uint64_t within = from + done - source->address;
    std::uint64_t chunk = std::min(size - done, source->size - within);
    if (!overlaps(at + done, chunk))
      segments.push_back({at + done, source->offset + within, chunk});
    done += chunk;
  }
  return CoreMemory(core_, std::move(segments));
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
