// SPDX-License-Identifier: MIT
// Decodes UTF-8 strictly (RFC 3629): a JSON encoder or a terminal would otherwise pass through,
// or silently replace, what the spec forbids in a package note.
#include "support/utf8.h"

#include "pkgnote/result.h"

#include <cstdint>
#include <cstdio>

namespace pkgnote::detail {
namespace {

std::string codePoint(std::uint32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

std::string byteValue(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02x", byte);
  return buffer;
}

bool isControl(std::uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

} // namespace

std::optional<TextProblem> findTextProblem(std::string_view text, bool allowControl) {
  for (std::size_t i = 0; i < text.size();) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    std::uint32_t cp;
    std::size_t length;
    std::uint32_t smallest; // below this, the sequence is an overlong form
    if (lead < 0x80) {
      cp = lead, length = 1, smallest = 0;
    } else if ((lead & 0xe0) == 0xc0) {
      cp = lead & 0x1f, length = 2, smallest = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      cp = lead & 0x0f, length = 3, smallest = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      cp = lead & 0x07, length = 4, smallest = 0x10000;
    } else {
      return TextProblem{"invalid UTF-8 byte " + byteValue(lead), i};
    }
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= text.size())
        return TextProblem{"truncated UTF-8 sequence", i};
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80)
        return TextProblem{"invalid UTF-8 sequence", i};
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < smallest)
      return TextProblem{"overlong UTF-8 encoding of " + codePoint(cp), i};
    if (cp >= 0xd800 && cp <= 0xdfff)
      return TextProblem{"UTF-16 surrogate " + codePoint(cp) + " in UTF-8", i};
    if (cp > 0x10ffff)
      return TextProblem{"code point " + codePoint(cp) + " above U+10FFFF", i};
    if (!allowControl && isControl(cp))
      return TextProblem{"control character " + codePoint(cp), i};
    i += length;
  }
  return std::nullopt;
}

std::string quoted(std::string_view text) { return "'" + escapeControlBytes(text) + "'"; }

} // namespace pkgnote::detail
