// SPDX-License-Identifier: MIT
// The one reader of a single input's bytes that knows every kind a file may be (ELF, a core with
// its modules, compressed ELF or core): read_file.cpp, and stdin (read_stdin.cpp) over a stream.
#pragma once

#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "pkgnote/elf_reader.h"
#include "read/elf_bytes.h"

#include <functional>
#include <memory>
#include <optional>

namespace pkgnote::detail {

// core/'s readCoreModules for the four classes, the hooks readElfBytes takes.
const CoreHooks &coreHooks();

// Opens SOURCE's bytes, compressed with COMPRESSION, as a stream of the decompressed bytes; null
// for a source that is itself decompressed data (one layer is read, never a second).
using DecompressOpener =
    std::function<llvm::Expected<std::unique_ptr<ForwardStream>>(Compression compression)>;

// Non-ELF inputs are std::nullopt. A compressed input (recognised by its magic, only once the ELF
// magic is not there) is read through DECOMPRESS.
llvm::Expected<std::optional<FileReport>> readSource(const ByteSource &source,
                                                     const ReadOptions &options,
                                                     const DecompressOpener &decompress);

} // namespace pkgnote::detail
