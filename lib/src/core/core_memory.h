// SPDX-License-Identifier: MIT
// A crashed process's virtual memory, rebuilt from its core's PT_LOAD segments: addresses are the
// process's, bytes come from the core file with pread. Only what the kernel (or gdb, or qemu)
// dumped is readable: the tail of a segment past p_filesz, and anything unmapped, is absent rather
// than zero, so that a missing page is told apart from a page of zeros.
#pragma once

#include "io/byte_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pkgnote::detail {

// One PT_LOAD of the core: [address, address + size) is at OFFSET in the core file.
struct CoreSegment {
  std::uint64_t address = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0; // p_filesz, checked against the core's size
};

class CoreMemory final : public ByteSource {
public:
  // SEGMENTS must lie within CORE (checked by the caller); they are sorted here.
  CoreMemory(const ByteSource &core, std::vector<CoreSegment> segments);

  const std::string &name() const override { return core_.name(); }
  // Every 64-bit address may be asked for; readChecked refuses what was not dumped.
  std::uint64_t size() const override { return UINT64_MAX; }

  // Whether [address, address + size) was dumped, so that a read of it cannot fail.
  bool isBacked(std::uint64_t address, std::uint64_t size) const;

  // The NUL-terminated string at ADDRESS, at most MAX bytes; an error if not dumped.
  llvm::Expected<std::string> readString(std::uint64_t address, std::size_t max,
                                         std::string_view what) const;

  const std::vector<CoreSegment> &segments() const { return *segments_; }

  // How many bytes from ADDRESS on are dumped without a gap (0 when ADDRESS is not).
  std::uint64_t backedFrom(std::uint64_t address) const;

  // This memory, plus the dumped bytes of [FROM, FROM + SIZE) also readable at [AT, AT + SIZE)
  // wherever nothing was dumped there. For a module whose first mapping (its ELF header) was not
  // dumped while another mapping of the same file at file offset 0 was: the header and notes
  // are read as if at the module's load address.
  CoreMemory withAlias(std::uint64_t at, std::uint64_t from, std::uint64_t size) const;

private:
  llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                          std::string_view what) const override;
  // The segment holding ADDRESS, or nullptr.
  const CoreSegment *find(std::uint64_t address) const;
  // Whether some segment holds a byte of [ADDRESS, ADDRESS + SIZE).
  bool overlaps(std::uint64_t address, std::uint64_t size) const;

  // The segment of SEGMENTS holding ADDRESS, or nullptr.
  static const CoreSegment *findIn(const std::vector<CoreSegment> &segments, std::uint64_t address);

  const ByteSource &core_;
  // Shared with the views withAlias makes, which add their few aliases (in gaps of these).
  std::shared_ptr<const std::vector<CoreSegment>> segments_;
  std::vector<CoreSegment> aliases_;
};

} // namespace pkgnote::detail
