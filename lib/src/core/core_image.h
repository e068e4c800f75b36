// SPDX-License-Identifier: MIT
// What the core reader learns about one module image, in a core's memory or in a file on disk,
// whatever its class and byte order (a qemu process's core holds the foreign guest's modules):
// identity (machine, type, entry, program headers) to check a file against the memory, and the
// notes. Reading from memory never fails because a page was not dumped: it says what is missing.
#pragma once

#include "io/byte_source.h"
#include "core/core_memory.h"
#include "pkgnote/elf_report.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote::detail {

// File bytes that stay as the file has them once the program runs (read-only segments, and the
// RELRO part of writable ones, where only relocated words change): what a file under --root can
// be compared with when the core holds no header or build-id of it.
struct StableRange {
  std::uint64_t vaddr = 0, offset = 0, size = 0;
};

struct ImageFacts {
  std::uint16_t machine = 0;
  std::uint16_t type = 0;
  std::uint64_t entry = 0;
  std::uint64_t phoff = 0;
  std::uint16_t phnum = 0;
  std::uint64_t bias = 0;                      // load bias (0 for a file)
  std::vector<std::uint8_t> phdrs;             // the raw program headers, as stored
  std::optional<std::uint64_t> phdrVaddr;      // PT_PHDR's p_vaddr
  std::optional<std::uint64_t> firstLoadVaddr; // the first PT_LOAD's p_vaddr - p_offset
  std::optional<std::uint64_t> dynamicVaddr;   // PT_DYNAMIC's p_vaddr
  std::uint64_t dynamicSize = 0;
  std::optional<std::uint64_t> interpVaddr; // PT_INTERP's p_vaddr
  std::string interp;                       // its path, when its bytes could be read
  bool is64 = false, bigEndian = false;
  std::string buildId;
  std::vector<PackageNote> packages;
  // Where the image lies: its PT_LOADs' lowest p_vaddr to highest p_vaddr + p_memsz, plus the bias
  // (an image in memory) so that a second mapping of it is not taken for another image.
  std::uint64_t loadStart = 0, loadEnd = 0;
  std::uint64_t firstLoadFileSize = 0; // the first PT_LOAD's p_filesz
  // p_vaddr - p_offset of every PT_LOAD starting in the file's first 64 KiB: where the ELF
  // header also shows when that segment's mapping begins at file offset 0 (a small file's data).
  std::vector<std::uint64_t> headerMappings;
  std::vector<StableRange> stableRanges; // filled for files only
  bool notesComplete = true;             // every PT_NOTE could be read (a core may lack the pages)
  std::vector<std::string> problems;     // note segments that could not be walked (NoteScan)
};

// The image whose ELF header is at ADDRESS in MEMORY. std::nullopt when no ELF header is there
// (not dumped, or not an ELF image); an error only for a corrupt package note.
llvm::Expected<std::optional<ImageFacts>> inspectImageInMemory(const CoreMemory &memory,
                                                               std::uint64_t address);

// The DT_SONAME of the image FACTS describes in MEMORY (the vDSO's "linux-vdso.so.1"), read
// through its PT_DYNAMIC; empty when it has none or its pages were not dumped.
std::string sonameInMemory(const CoreMemory &memory, const ImageFacts &facts);

// The same facts from a file (the module's file under --root). std::nullopt when it is not ELF.
llvm::Expected<std::optional<ImageFacts>> inspectImageFile(const std::string &path);

// The same facts from any source holding a file's bytes at their file offsets (a live process's
// mappings of the file, live/).
llvm::Expected<std::optional<ImageFacts>> inspectImageBytes(const ByteSource &source);

} // namespace pkgnote::detail
