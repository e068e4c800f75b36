// SPDX-License-Identifier: MIT
// Renderers: the forms in which `pkgnote generate` hands a payload to a toolchain.
#pragma once

#include "pkgnote/note_encoding.h"
#include "pkgnote/result.h"

#include <string>
#include <string_view>

namespace pkgnote {

enum class OutputFormat { LinkerScript, LldScript, LdFlag, Specs, Json, Note };

// Parses a --format name ("linker-script", "lld-script", "ld-flag", "specs", "json", "note").
Result<OutputFormat> parseOutputFormat(std::string_view name);

struct RenderOptions {
  bool readonly = true;           // linker-script: READONLY (gold and binutils < 2.38 reject it)
  Endian endian = Endian::Little; // note: byte order of the header words
};

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
