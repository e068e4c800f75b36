// SPDX-License-Identifier: MIT
// The ELF reader over bytes that are ELF (or not): e_ident picks one of four instantiations of
// the note walker. What else an input may be (compressed, a core whose modules are read, an
// image) is decided above, in input/: a core's modules are read through the hooks it passes, so
// that read/ does not include core/, which builds on it.
#pragma once

#include "io/byte_source.h"
#include "pkgnote/elf_reader.h"
#include "pkgnote/elf_report.h"

#include "llvm/Object/ELFTypes.h"

#include <optional>
#include <vector>

namespace pkgnote::detail {

// Fills REPORT.modules for a core whose header and program headers were read.
template <class ELFT>
using CoreModulesHook = llvm::Error (*)(const ByteSource &source, const typename ELFT::Ehdr &header,
                                        const std::vector<typename ELFT::Phdr> &segments,
                                        const ReadOptions &options, FileReport &report);

// One hook per class and byte order; input/ fills them with core/'s readCoreModules.
struct CoreHooks {
  CoreModulesHook<llvm::object::ELF32LE> le32 = nullptr;
  CoreModulesHook<llvm::object::ELF32BE> be32 = nullptr;
  CoreModulesHook<llvm::object::ELF64LE> le64 = nullptr;
  CoreModulesHook<llvm::object::ELF64BE> be64 = nullptr;
};

// The report of SOURCE when it starts with the ELF magic, std::nullopt otherwise (nothing is
// decompressed here). A core's modules are read through CORES; without them (null) a core is
// reported as the ELF file it is, without modules.
llvm::Expected<std::optional<FileReport>>
readElfBytes(const ByteSource &source, const ReadOptions &options, const CoreHooks *cores);

// "Result" from "Expected", for the public API.
template <typename T> Result<T> toResult(llvm::Expected<T> value) {
  if (!value)
    return toPublicError(value.takeError());
  return std::move(*value);
}

} // namespace pkgnote::detail
