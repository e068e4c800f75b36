// SPDX-License-Identifier: MIT
// Renderers: the forms in which `pkgnote generate` hands a payload to a toolchain.
#pragma once

#include "pkgnote/note_encoding.h"
#include "pkgnote/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pkgnote {

enum class OutputFormat { LinkerScript, LldScript, LdFlag, Specs, Json, Note, Coff };

// Parses a --format name ("linker-script", "lld-script", "ld-flag", "specs", "json", "note",
// "coff").
Result<OutputFormat> parseOutputFormat(std::string_view name);

struct RenderOptions {
  bool readonly = true;           // linker-script: READONLY (gold and binutils < 2.38 reject it)
  Endian endian = Endian::Little; // note: byte order of the header words
  std::uint16_t coffMachine = 0x8664; // coff: IMAGE_FILE_MACHINE_* (parseCoffMachine), AMD64
};

// --coff-machine: "amd64", "i386", "arm64", "armnt" to IMAGE_FILE_MACHINE_*.
Result<std::uint16_t> parseCoffMachine(std::string_view name);

// A COFF relocatable object for MACHINE holding the one section `.pkgnote` (UAPI.8: the payload
// NUL-terminated and NUL-padded, initialized read-only data, aligned 8 on 64-bit machines and 4
// on 32-bit ones) and its section symbol, for a PE link (mingw-w64's GNU ld, lld-link).
std::string renderCoffObject(std::string_view json, std::uint16_t machine);

// GNU ld/gold script for -Wl,-dT,FILE: INSERT AFTER style, header as LONG(), payload as BYTE(),
// so that no value can inject linker-script syntax.
std::string renderLinkerScript(std::string_view json, const RenderOptions &options);
// The variant lld 15+ accepts (-Wl,-T,FILE): no READONLY, TYPE = SHT_NOTE, INSERT BEFORE .text.
std::string renderLldScript(std::string_view json);
// One shell-quoted driver argument sequence that passes --package-metadata intact.
std::string renderLdFlag(std::string_view json);
// A gcc specs file (gcc -specs=FILE) that adds the note to every final link (not to -r links).
// An error when the payload contains '#', which gcc's specs reader takes for a comment.
Result<std::string> renderSpecs(std::string_view json);

// Dispatches on FORMAT; the result is the bytes to write (binary for Note).
Result<std::string> render(std::string_view json, OutputFormat format,
                           const RenderOptions &options);

} // namespace pkgnote
