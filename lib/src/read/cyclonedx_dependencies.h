// SPDX-License-Identifier: MIT
// The library edges of a CycloneDX document (`read --deps`, implied by --format cyclonedx): the
// component of each file depends on the components of the libraries its DT_NEEDED names and its
// .note.dlopen entries resolved to. A file's component is its first package note's component,
// or its own `file` component when it has no note; a library in the same component as the file
// needing it is no edge.
#pragma once

#include "cyclonedx_inventory.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace pkgnote::cyclonedx {

struct DependencyGraph {
  std::map<std::string, std::set<std::string>> dependsOn; // bom-ref -> bom-refs
  // Per depending bom-ref: "pkgnote:dlopen:FEATURE" = target bom-ref for an edge that only a
  // dlopen note makes (optional), "pkgnote:unresolved" = a soname no library in the root
  // provides, "pkgnote:unresolvedDlopen:FEATURE" = the sonames of a dlopen entry none of which
  // is found, "pkgnote:neededOutside" = "SONAME PATH" for a library found but not read.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> properties;
};

// The bom-ref of REPORT's component, std::nullopt for one that has none (a core).
using ComponentRefOf = std::function<std::optional<std::string>(const FileReport &)>;

DependencyGraph dependencyGraph(const std::vector<FileReport> &reports,
                                const ComponentRefOf &refOf);

} // namespace pkgnote::cyclonedx
