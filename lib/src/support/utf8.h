// SPDX-License-Identifier: MIT
// UTF-8 checking shared by the metadata validator (values given on the command line) and the
// payload parser (JSON read from a note): both must name the first bad byte the same way.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pkgnote::detail {

// What is wrong with a text, and the offset of the first offending byte (0-based).
struct TextProblem {
  std::string description; // e.g. "control character U+000A"
  std::size_t offset;
};

// The first problem in TEXT: invalid or truncated UTF-8, overlong forms, surrogates, code points
// above U+10FFFF, and (unless ALLOW_CONTROL) the C0 and C1 control characters and U+007F.
std::optional<TextProblem> findTextProblem(std::string_view text, bool allowControl);

// TEXT from an input, in single quotes for an error message, with control bytes (C0 and DEL)
// shown as \xNN (escapeControlBytes) so that the message stays one line.
std::string quoted(std::string_view text);

} // namespace pkgnote::detail
