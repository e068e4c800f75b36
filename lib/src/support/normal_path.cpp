// SPDX-License-Identifier: MIT
// normalPath (normal_path.h).
#include "support/normal_path.h"

#include <vector>

namespace pkgnote::detail {

std::string normalPath(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (part.empty() || part == ".")
      continue;
    if (part == "..") {
      if (!parts.empty())
        parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty())
      out += '/';
    out += part;
  }
  return out;
}

} // namespace pkgnote::detail
