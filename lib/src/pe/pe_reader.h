// SPDX-License-Identifier: MIT
// Reading a PE image's package metadata (UAPI.8: the `.pkgnote` section, the JSON NUL-terminated
// and NUL-padded, no note header) and identity: the COFF machine, what kind of image it is, and
// the CodeView PDB 7.0 signature of its debug directory, the PE counterpart of the build-id.
#pragma once

#include "io/byte_source.h"
#include "pkgnote/elf_report.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pkgnote::detail {

// The report of SOURCE when it is a PE image (pe_headers.h), std::nullopt when it is not.
llvm::Expected<std::optional<FileReport>> readPeBytes(const ByteSource &source);

// The COFF machine as pkgnote names it: "x86-64", "i386", "arm64", "arm", "armnt", "riscv64",
// ...; "0x..." for one it does not know.
std::string peMachineName(std::uint16_t machine);

// The payload of a `.pkgnote` section's bytes: what comes before the first NUL, which must be
// there, with only NULs after it. WHERE names the section in messages.
llvm::Expected<std::string_view> pePayloadOf(std::string_view bytes, const std::string &name,
                                             const std::string &where);

} // namespace pkgnote::detail
