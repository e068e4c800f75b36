// SPDX-License-Identifier: MIT
// RPM's NEVRA (name-[epoch:]version-release.arch, as `rpm -q --qf '%{nevra}'` prints it). The
// name may contain dashes, so the string is taken apart from the right: the architecture after
// the last dot, the release after the last dash, the version after the dash before that.
#include "pkgnote/nevra.h"

#include <algorithm>

namespace pkgnote {
namespace {

const char kExpected[] = " (expected NAME-[EPOCH:]VERSION-RELEASE.ARCH)";

Error malformed(std::string_view text, const std::string &problem) {
  return Error{"'" + std::string(text) + "': " + problem + kExpected};
}

bool hasSpace(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
}

} // namespace

Result<Nevra> parseNevra(std::string_view text) {
  if (hasSpace(text))
    return malformed(text, "contains whitespace");
  std::size_t dot = text.rfind('.');
  if (dot == std::string_view::npos)
    return malformed(text, "no architecture");
  Nevra nevra;
  nevra.arch = std::string(text.substr(dot + 1));
  if (nevra.arch.empty())
    return malformed(text, "empty architecture");
  if (nevra.arch.find('-') != std::string::npos)
    return malformed(text, "no architecture");

  std::string_view rest = text.substr(0, dot);
  std::size_t dash = rest.rfind('-');
  if (dash == std::string_view::npos)
    return malformed(text, "no release");
  nevra.release = std::string(rest.substr(dash + 1));
  rest = rest.substr(0, dash);
  dash = rest.rfind('-');
  if (dash == std::string_view::npos)
    return malformed(text, "no version");
  std::string_view version = rest.substr(dash + 1);
  nevra.name = std::string(rest.substr(0, dash));

  std::size_t colon = version.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = version.substr(0, colon);
    if (epoch.empty() ||
        !std::all_of(epoch.begin(), epoch.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return malformed(text, "epoch '" + std::string(epoch) + "' is not a number");
    nevra.epoch = std::string(epoch);
    version.remove_prefix(colon + 1);
  }
  nevra.version = std::string(version);

  if (nevra.name.empty())
    return malformed(text, "empty name");
  if (nevra.version.empty())
    return malformed(text, "empty version");
  if (nevra.release.empty())
    return malformed(text, "empty release");
  if (nevra.name.find(':') != std::string::npos || nevra.release.find(':') != std::string::npos ||
      nevra.version.find(':') != std::string::npos)
    return malformed(text, "':' outside the epoch");
  return nevra;
}

} // namespace pkgnote
