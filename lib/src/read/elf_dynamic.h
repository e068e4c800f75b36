// SPDX-License-Identifier: MIT
// What a file asks of the dynamic loader: DT_NEEDED (in order), DT_RUNPATH and DT_RPATH, read from
// PT_DYNAMIC and the string table DT_STRTAB points at, as ld.so reads them (by program headers:
// section headers may be stripped). Written once over ELFT, like the note walker, and read through
// the same bounds-checked ByteSource; only asked for by `read --deps`, so the plain read never
// touches these bytes.
#pragma once

#include "io/byte_source.h"
#include "pkgnote/elf_report.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote::detail {

// A dynamic section longer than this is refused (real ones hold a few dozen entries).
inline constexpr std::uint64_t kMaxDynamicEntries = 1u << 16;
// A string longer than this is refused (DT_NEEDED names and search paths are short).
inline constexpr std::uint64_t kMaxDynamicString = 64u << 10;

// The file offset of virtual address ADDRESS, through the PT_LOAD that maps it from the file.
template <class ELFT>
std::optional<std::uint64_t> fileOffsetOf(const std::vector<typename ELFT::Phdr> &segments,
                                          std::uint64_t address) {
  for (const auto &segment : segments) {
    if (segment.p_type != llvm::ELF::PT_LOAD)
      continue;
    std::uint64_t start = segment.p_vaddr, size = segment.p_filesz;
    if (address >= start && address - start < size)
      return std::uint64_t(segment.p_offset) + (address - start);
  }
  return std::nullopt;
}

// The NUL-terminated string at OFFSET of a string table of SIZE bytes at TABLE.
inline llvm::Expected<std::string> readDynamicString(const ByteSource &source, std::uint64_t table,
                                                     std::uint64_t size, std::uint64_t offset) {
  if (offset >= size)
    return inputError(source.name(), "dynamic string at " + hexText(offset) +
                                         " is beyond DT_STRSZ " + hexText(size));
  std::uint64_t want = std::min(size - offset, kMaxDynamicString);
  std::vector<char> bytes;
  // Strings are short: a small read first, the rest of the allowance only when it has no NUL.
  for (std::uint64_t chunk = std::min<std::uint64_t>(want, 256);; chunk = want) {
    if (llvm::Error error = source.read(table + offset, chunk, bytes, "dynamic string"))
      return error;
    auto nul = std::find(bytes.begin(), bytes.end(), '\0');
    if (nul != bytes.end())
      return std::string(bytes.begin(), nul);
    if (chunk == want)
      return inputError(source.name(), "dynamic string at " + hexText(offset) +
                                           " has no NUL within " + hexText(want) + " bytes");
  }
}

// The DT_NEEDED names and search paths of the file whose program headers are SEGMENTS; empty
// for a file without PT_DYNAMIC (a static program, an object file).
template <class ELFT>
llvm::Expected<Dependencies> readDynamic(const ByteSource &source,
                                         const std::vector<typename ELFT::Phdr> &segments) {
  using Dyn = typename ELFT::Dyn;
  Dependencies dependencies;
  const typename ELFT::Phdr *dynamic = nullptr;
  for (const auto &segment : segments)
    if (segment.p_type == llvm::ELF::PT_DYNAMIC)
      dynamic = &segment;
  if (!dynamic || dynamic->p_filesz == 0)
    return dependencies;
  std::uint64_t count = dynamic->p_filesz / sizeof(Dyn);
  if (count > kMaxDynamicEntries)
    return inputError(source.name(), "PT_DYNAMIC of " + hexText(count) + " entries is too large");
  std::vector<Dyn> entries;
  if (llvm::Error error = source.read(dynamic->p_offset, count, entries, "PT_DYNAMIC"))
    return error;
  std::uint64_t strtab = 0, strsz = 0;
  bool haveStrtab = false;
  std::vector<std::uint64_t> needed, runpath, rpath;
  for (const Dyn &entry : entries) {
    std::int64_t tag = entry.getTag();
    std::uint64_t value = entry.getVal();
    if (tag == llvm::ELF::DT_NULL)
      break;
    if (tag == llvm::ELF::DT_NEEDED)
      needed.push_back(value);
    else if (tag == llvm::ELF::DT_RUNPATH)
      runpath.push_back(value);
    else if (tag == llvm::ELF::DT_RPATH)
      rpath.push_back(value);
    else if (tag == llvm::ELF::DT_STRTAB)
      strtab = value, haveStrtab = true;
    else if (tag == llvm::ELF::DT_STRSZ)
      strsz = value;
  }
  if (needed.empty() && runpath.empty() && rpath.empty())
    return dependencies;
  if (!haveStrtab)
    return inputError(source.name(), "PT_DYNAMIC has DT_NEEDED but no DT_STRTAB");
  std::optional<std::uint64_t> table = fileOffsetOf<ELFT>(segments, strtab);
  if (!table)
    return inputError(source.name(),
                      "DT_STRTAB " + hexText(strtab) + " is not in a segment of the file");
  // The strings usually lie close together at the start of .dynstr: one read of the span from
  // the first to 256 bytes past the last serves them all when it is small; a string that runs
  // past it (or a wide span) is read on its own.
  std::uint64_t low = UINT64_MAX, high = 0;
  for (const auto *offsets : {&needed, &runpath, &rpath})
    for (std::uint64_t offset : *offsets)
      low = std::min(low, offset), high = std::max(high, offset);
  std::vector<char> span;
  if (low < strsz) {
    std::uint64_t end = std::min(strsz, high + 256);
    if (end - low <= kMaxDynamicString)
      if (llvm::Error error = source.read(*table + low, end - low, span, "dynamic strings"))
        return error;
  }
  auto string = [&](std::uint64_t offset) -> llvm::Expected<std::string> {
    if (!span.empty() && offset >= low && offset - low < span.size()) {
      auto begin = span.begin() + static_cast<std::ptrdiff_t>(offset - low);
      auto nul = std::find(begin, span.end(), '\0');
      if (nul != span.end())
        return std::string(begin, nul);
    }
    return readDynamicString(source, *table, strsz, offset);
  };
  for (std::uint64_t offset : needed) {
    auto name = string(offset);
    if (!name)
      return name.takeError();
    dependencies.needed.push_back(std::move(*name));
  }
  // Several DT_RUNPATH entries are not meant to occur; ld.so would take one. Joined, none is lost.
  auto joined = [&](const std::vector<std::uint64_t> &offsets,
                    std::optional<std::string> &out) -> llvm::Error {
    for (std::uint64_t offset : offsets) {
      auto path = string(offset);
      if (!path)
        return path.takeError();
      out = out ? *out + ":" + *path : *path;
    }
    return llvm::Error::success();
  };
  if (llvm::Error error = joined(runpath, dependencies.runpath))
    return error;
  if (llvm::Error error = joined(rpath, dependencies.rpath))
    return error;
  return dependencies;
}

} // namespace pkgnote::detail
