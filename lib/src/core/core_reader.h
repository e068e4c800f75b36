// SPDX-License-Identifier: MIT
// The core-file half of `pkgnote read`: finds the modules (executable, shared objects) of a
// crashed process and reads each one's package note and build-id from the core's memory, or, when
// the note was not dumped, from the module's file under --root once the file is shown to be the
// one that was mapped. Kernel and gdb cores name their mappings in NT_FILE; qemu-user guest cores
// have no NT_FILE, so the executable is found through NT_AUXV and shared objects through the
// dynamic linker's r_debug list, with a bounded scan of segment starts as the last resort.
#pragma once

#include "io/byte_source.h"
#include "pkgnote/elf_reader.h"
#include "pkgnote/elf_report.h"

#include "llvm/Object/ELFTypes.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pkgnote::detail {

// Fills REPORT.modules (and the core's executable and emulator lines) for the core in SOURCE,
// whose header and program headers the ELF reader already read. An error for this core when its
// notes are corrupt or hostile; a module that cannot be read is reported without a package.
template <class ELFT>
llvm::Error readCoreModules(const ByteSource &source, const typename ELFT::Ehdr &header,
                            const std::vector<typename ELFT::Phdr> &segments,
                            const ReadOptions &options, FileReport &report);

} // namespace pkgnote::detail
