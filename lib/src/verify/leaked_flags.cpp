// SPDX-License-Identifier: MIT
// recordsBuildFlags and findLeakedFlags (leaked_flags.h).
#include "verify/leaked_flags.h"

#include <array>

namespace pkgnote::detail {
namespace {

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Whether LINE has a -specs= argument naming a package-note specs file.
bool hasNoteSpecs(std::string_view line) {
  for (std::size_t at = line.find("-specs="); at != std::string_view::npos;
       at = line.find("-specs=", at + 1)) {
    std::string_view argument = line.substr(at + 7);
    argument = argument.substr(0, argument.find_first_of(" \t'\","));
    if (argument.find("package-note") != std::string_view::npos ||
        argument.find("package_note") != std::string_view::npos)
      return true;
  }
  return false;
}

bool leaks(std::string_view line) {
  static constexpr std::array<std::string_view, 4> kMarks = {
      ".package_note-", "/.debhelper/pkgnote/package-note.", "/.debhelper/notes.ld",
      "--package-metadata"};
  for (std::string_view mark : kMarks)
    if (line.find(mark) != std::string_view::npos)
      return true;
  return hasNoteSpecs(line);
}

std::string trimmed(std::string_view line) {
  constexpr std::size_t kMaxShown = 240;
  std::size_t first = line.find_first_not_of(" \t\r");
  if (first == std::string_view::npos)
    return {};
  line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
  return std::string(line.substr(0, kMaxShown));
}

} // namespace

bool recordsBuildFlags(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  return name == "rbconfig.rb" || (startsWith(name, "_sysconfigdata") && endsWith(name, ".py")) ||
         endsWith(name, ".pc") || endsWith(name, ".cmake") || name == "Makefile" ||
         startsWith(name, "Makefile.") || endsWith(name, ".mk") || endsWith(name, ".la");
}

std::optional<std::string> findLeakedFlags(std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    return std::nullopt;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (leaks(line))
      return trimmed(line);
    if (end == std::string_view::npos)
      break;
    text.remove_prefix(end + 1);
  }
  return std::nullopt;
}

} // namespace pkgnote::detail
