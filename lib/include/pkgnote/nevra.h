// SPDX-License-Identifier: MIT
// RPM's name-[epoch:]version-release.arch, as `--rpm` takes it.
#pragma once

#include "pkgnote/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace pkgnote {

struct Nevra {
  std::string name;
  std::optional<std::string> epoch;
  std::string version, release, arch;
};

Result<Nevra> parseNevra(std::string_view text);

} // namespace pkgnote
