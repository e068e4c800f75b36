// SPDX-License-Identifier: MIT
// The process-describing notes of a core: NT_FILE (the file mappings), NT_AUXV (the auxiliary
// vector: where the loader put the executable's program headers, its entry point and name) and
// NT_PRPSINFO (the command name). Decoded with the core's own word size and byte order, every
// count checked against the note's size before anything is allocated.
#pragma once

#include "io/byte_source.h"

#include "llvm/Object/ELFTypes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote::detail {

// Auxiliary vector entries the core reader uses (<elf.h>'s AT_*; LLVM does not name them).
enum AuxvType : std::uint64_t {
  kAtPhdr = 3,         // address of the executable's program headers
  kAtPhnum = 5,        // their count
  kAtEntry = 9,        // the executable's entry point
  kAtExecfn = 31,      // address of the executed path
  kAtSysinfoEhdr = 33, // the vDSO's ELF header
};

struct MappedFile {
  std::uint64_t start = 0, end = 0;
  std::uint64_t fileOffset = 0; // in bytes (NT_FILE gives pages; multiplied by its page size)
  std::string path;
};

struct CoreNotes {
  bool haveFileNote = false;
  std::vector<MappedFile> files;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> auxv; // (a_type, a_val), AT_NULL excluded
  std::string commandName;                                   // NT_PRPSINFO pr_fname
  std::string commandLine;                                   // NT_PRPSINFO pr_psargs

  std::optional<std::uint64_t> auxvValue(std::uint64_t type) const;
};

// Core PT_NOTE segments bigger than this are refused (a process with a million mappings has an
// NT_FILE of about 100 MiB; pkgnote keeps to a 64 MiB budget).
inline constexpr std::uint64_t kMaxCoreNoteSegment = 32u << 20;

template <class ELFT>
llvm::Expected<CoreNotes> readCoreNotes(const ByteSource &core,
                                        const std::vector<typename ELFT::Phdr> &segments);

} // namespace pkgnote::detail
