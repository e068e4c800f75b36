// SPDX-License-Identifier: MIT
// MappedFileSource (mapped_file.h): file offsets to addresses through the process's mappings of
// the file. Private mappings may differ from the file where the process wrote (relocations in
// data); the header and notes the reader asks for are in read-only pages.
#include "live/mapped_file.h"

#include <cerrno>
#include <unistd.h>

namespace pkgnote::detail {

MappedFileSource::MappedFileSource(int memFd, std::vector<Mapping> mappings, std::string name)
    : memFd_(memFd), mappings_(std::move(mappings)), name_(std::move(name)) {
  for (const Mapping &mapping : mappings_)
    if (mapping.end > mapping.start)
      size_ = std::max(size_, mapping.offset + (mapping.end - mapping.start));
}

llvm::Error MappedFileSource::readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                                          std::string_view what) const {
  while (size > 0) {
    const Mapping *holder = nullptr;
    for (const Mapping &mapping : mappings_)
      if (mapping.readable && offset >= mapping.offset &&
          offset - mapping.offset < mapping.end - mapping.start) {
        holder = &mapping;
        break;
      }
    if (!holder)
      return inputError(name_, std::string(what) + ": file offset " + hexText(offset) +
                                   " is not mapped by the process");
    std::uint64_t within = offset - holder->offset;
    std::size_t chunk = static_cast<std::size_t>(
        std::min<std::uint64_t>(size, holder->end - holder->start - within));
    ssize_t got = ::pread(memFd_, out, chunk, static_cast<off_t>(holder->start + within));
    if (got <= 0)
      return inputError(name_, std::string(what) + " at " + hexText(holder->start + within) + ": " +
                                   (got < 0 ? errnoText(errno) : "nothing read"));
    out += got;
    offset += static_cast<std::uint64_t>(got);
    size -= static_cast<std::size_t>(got);
  }
  return llvm::Error::success();
}

} // namespace pkgnote::detail
