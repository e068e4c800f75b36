// SPDX-License-Identifier: MIT
// dependencyGraph (cyclonedx_dependencies.h). A resolved path is matched with the report of the
// file read at that path in the same image (or outside any image), as pkgnote prints both.
#include "cyclonedx_dependencies.h"

namespace pkgnote::cyclonedx {
namespace {

using FileKey = std::pair<std::optional<ImageKey>, std::string>;

// PATH without "." components and repeated slashes: "./rootfs//usr/lib/x" and the resolved
// "rootfs/usr/lib/x" name the same file (".." is left alone: through a link it is not lexical).
std::string tidy(const std::string &path) {
  std::string out;
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t slash = path.find('/', at);
    if (slash == std::string::npos)
      slash = path.size();
    std::string part = path.substr(at, slash - at);
    if (!part.empty() && part != ".")
      out += (out.empty() && path[0] != '/' ? "" : "/") + part;
    at = slash + 1;
  }
  return out.empty() ? path : out;
}

std::string joined(const std::vector<std::string> &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : " ") + name;
  return text;
}

} // namespace

DependencyGraph dependencyGraph(const std::vector<FileReport> &reports,
                                const ComponentRefOf &refOf) {
  std::map<FileKey, const FileReport *> files;
  for (const FileReport &report : reports)
    if (report.kind != ElfKind::Core)
      files.emplace(FileKey{imageKeyOf(report), tidy(report.path)}, &report);
  DependencyGraph graph;
  std::map<std::string, std::set<std::string>> required;
  std::vector<std::tuple<std::string, std::string, std::string>> optional; // from, to, feature
  for (const FileReport &report : reports) {
    if (!report.dependencies || !report.dependencies->isResolved)
      continue;
    std::optional<std::string> from = refOf(report);
    if (!from)
      continue;
    const Dependencies &dependencies = *report.dependencies;
    auto &properties = graph.properties[*from];
    // The component of the library SONAME resolved to, if any; notes what is missing.
    auto target = [&](const std::string &soname) -> std::optional<std::string> {
      for (const auto &[name, path] : dependencies.resolved) {
        if (name != soname || !path)
          continue;
        auto found = files.find(FileKey{imageKeyOf(report), tidy(*path)});
        if (found == files.end()) {
          properties.insert({"pkgnote:neededOutside", soname + " " + *path});
          return std::nullopt;
        }
        return refOf(*found->second);
      }
      return std::nullopt;
    };
    auto resolvedPath = [&](const std::string &soname) {
      for (const auto &[name, path] : dependencies.resolved)
        if (name == soname)
          return path.has_value();
      return false;
    };
    for (const std::string &soname : dependencies.needed) {
      if (!resolvedPath(soname)) {
        properties.insert({"pkgnote:unresolved", soname});
        continue;
      }
      if (std::optional<std::string> to = target(soname); to && *to != *from)
        required[*from].insert(*to);
    }
    for (const DlopenEntry &entry : dependencies.dlopen) {
      std::optional<std::string> to;
      bool found = false;
      for (const std::string &soname : entry.sonames)
        if (!found && resolvedPath(soname)) {
          found = true;
          to = target(soname);
        }
      std::string feature = entry.feature.empty() ? "(unnamed)" : entry.feature;
      if (!found)
        properties.insert({"pkgnote:unresolvedDlopen:" + feature, joined(entry.sonames)});
      else if (to && *to != *from)
        optional.emplace_back(*from, *to, feature);
    }
    if (properties.empty())
      graph.properties.erase(*from);
  }
  for (const auto &[from, tos] : required)
    graph.dependsOn[from].insert(tos.begin(), tos.end());
  // A library both needed and dlopen()ed is a required edge, not an optional one.
  for (const auto &[from, to, feature] : optional) {
    graph.dependsOn[from].insert(to);
    if (!required[from].count(to))
      graph.properties[from].insert({"pkgnote:dlopen:" + feature, to});
  }
  return graph;
}

} // namespace pkgnote::cyclonedx
