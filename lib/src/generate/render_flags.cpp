// SPDX-License-Identifier: MIT
// Forms that hand the payload to the linker's own --package-metadata option (binutils 2.39+, gold
// 1.16+, lld 15+, mold): a shell-quoted driver argument and a gcc specs file. The payload has to
// reach the linker as one argument, byte for byte, through each layer's quoting rules.
#include "pkgnote/render.h"

namespace pkgnote {
namespace {

// POSIX shell single quotes: everything is literal except the quote itself, which is closed,
// escaped and reopened. No $, backslash or % is ever interpreted inside.
std::string shellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += "'";
  return out;
}

// gcc spec text at top level: '%' starts a directive (so it is doubled), a backslash makes the next
// character ordinary, and whitespace or '|' would end or split the argument.
std::string specQuote(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '%':
      out += "%%";
      break;
    case '\\':
    case ' ':
    case '|':
    case '"':
    case '\'':
      out += '\\';
      out += c;
      break;
    default:
      out += c;
    }
  }
  return out;
}

} // namespace

std::string renderLdFlag(std::string_view json) {
  // -Wl, would split the JSON at its commas; -Xlinker passes the next argument to the linker
  // whole. GNU ld 2.40 applies no %-escapes of its own.
  return "-Xlinker " + shellQuote("--package-metadata=" + std::string(json)) + "\n";
}

Result<std::string> renderSpecs(std::string_view json) {
  // gcc's specs reader ends a line at '#' even when escaped, so such a payload cannot be carried.
  if (json.find('#') != std::string_view::npos)
    return Error{"--format specs: the payload contains '#', which a gcc specs file cannot carry "
                 "(it starts a comment): use --format ld-flag or linker-script"};
  // The payload lives in its own spec at top level, because inside %{...} gcc's brace parser
  // rejects or splits on characters a value may contain ('}', '*', ...). %{!r:...} keeps it out of
  // relocatable links (-r), so that the final link carries exactly one note, as Fedora's
  // redhat-rpm-config package-notes specs do.
  std::string out = "*pkgnote_package_metadata:\n";
  out += "--package-metadata=" + specQuote(json) + "\n\n";
  out += "*link:\n+ %{!r:%(pkgnote_package_metadata)}\n\n";
  return out;
}

} // namespace pkgnote
