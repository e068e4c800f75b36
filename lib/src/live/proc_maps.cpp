// SPDX-License-Identifier: MIT
// parseMaps (proc_maps.h). A line is "START-END PERMS OFFSET MAJOR:MINOR INODE   PATH", numbers in
// hex but the inode; the path is the rest of the line after the padding, spaces included. The
// kernel escapes a newline in a path as "\012" (nothing else), which is turned back here.
#include "live/proc_maps.h"

#include "io/byte_source.h"

#include <sys/sysmacros.h>

namespace pkgnote::detail {
namespace {

constexpr std::string_view kDeleted = " (deleted)";

// Reads a number in BASE at the front of TEXT, up to STOP; false when there is none.
bool takeNumber(std::string_view &text, unsigned base, char stop, std::uint64_t &value) {
  value = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] != stop; ++i) {
    char c = text[i];
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else
      return false;
    if (value > (UINT64_MAX - digit) / base)
      return false;
    value = value * base + digit;
  }
  if (i == 0 || i == text.size())
    return false;
  text.remove_prefix(i + 1);
  return true;
}

std::string unescapeNewlines(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.substr(i, 4) == "\\012") {
      out += '\n';
      i += 3;
    } else
      out += path[i];
  }
  return out;
}

bool parseLine(std::string_view line, Mapping &mapping) {
  std::uint64_t major = 0, minor = 0;
  if (!takeNumber(line, 16, '-', mapping.start) || !takeNumber(line, 16, ' ', mapping.end) ||
      line.size() < 5 || line[4] != ' ')
    return false;
  mapping.readable = line[0] == 'r';
  mapping.executable = line[2] == 'x';
  line.remove_prefix(5);
  if (!takeNumber(line, 16, ' ', mapping.offset) || !takeNumber(line, 16, ':', major) ||
      !takeNumber(line, 16, ' ', minor))
    return false;
  // The inode, in decimal, ends at the padding before the path or at the end of the line.
  std::size_t digits = 0;
  for (; digits < line.size() && line[digits] != ' '; ++digits) {
    if (line[digits] < '0' || line[digits] > '9' || mapping.inode > UINT64_MAX / 10 - 1)
      return false;
    mapping.inode = mapping.inode * 10 + (line[digits] - '0');
  }
  if (digits == 0)
    return false;
  std::string_view rest = line.substr(digits);
  mapping.device = makedev(static_cast<unsigned>(major), static_cast<unsigned>(minor));
  std::size_t start = rest.find_first_not_of(' ');
  rest = start == std::string_view::npos ? std::string_view() : rest.substr(start);
  if (rest.size() > kDeleted.size() && rest.substr(rest.size() - kDeleted.size()) == kDeleted &&
      rest.front() == '/') {
    mapping.deleted = true;
    rest.remove_suffix(kDeleted.size());
  }
  mapping.path = unescapeNewlines(rest);
  return true;
}

} // namespace

llvm::Expected<std::vector<Mapping>> parseMaps(std::string_view text, const std::string &name) {
  std::vector<Mapping> mappings;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    Mapping mapping;
    if (!parseLine(line, mapping))
      return inputError(name, "line " + std::to_string(number) + " does not parse");
    mappings.push_back(std::move(mapping));
  }
  return mappings;
}

} // namespace pkgnote::detail
