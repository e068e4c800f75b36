// SPDX-License-Identifier: MIT
// A mapped file's bytes read from a live process's memory (/proc/PID/mem, pread at the address
// where a mapping shows the file offset): for a file that was replaced or removed since it was
// mapped, when /proc/PID/map_files is not open to pkgnote (it needs CAP_SYS_ADMIN; mem needs
// only the ptrace read check that maps already passed). Only pages the process maps from the
// file are readable; a module's headers and notes are in its first, read-only segment, which the
// loader (and qemu-user, for a guest) maps from file offset 0.
#pragma once

#include "io/byte_source.h"
#include "live/proc_maps.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pkgnote::detail {

class MappedFileSource final : public ByteSource {
public:
  // MEM_FD: an open /proc/PID/mem (the caller's); MAPPINGS: that process's mappings of one file
  // (one device and inode); NAME for messages.
  MappedFileSource(int memFd, std::vector<Mapping> mappings, std::string name);

  const std::string &name() const override { return name_; }
  // The end of the highest file range mapped.
  std::uint64_t size() const override { return size_; }

private:
  llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                          std::string_view what) const override;

  int memFd_;
  std::vector<Mapping> mappings_;
  std::string name_;
  std::uint64_t size_ = 0;
};

} // namespace pkgnote::detail
