// SPDX-License-Identifier: MIT
// The human form of a report: `systemd-analyze inspect-elf`'s layout, keys right-aligned to the
// widest key of the file, a blank line before each package's fields.
#include "pkgnote/elf_report.h"

#include <algorithm>
#include <string>
#include <utility>

namespace pkgnote {
namespace {

// Lines of (key, value); an empty key is a separator line.
using Lines = std::vector<std::pair<std::string, std::string>>;

// A package's fields after a blank line; an extra package (NUMBER > 1) is announced first.
void addPackage(Lines &lines, const PackageMetadata &package, std::size_t number) {
  lines.emplace_back("", "");
  if (number > 1)
    lines.emplace_back("extraPackage", "#" + std::to_string(number));
  for (const auto &[key, value] : package.fields)
    lines.emplace_back(key, value);
}

void addModule(Lines &lines, const ModuleReport &module) {
  lines.emplace_back("", "");
  lines.emplace_back("module", module.path);
  if (!module.elfArchitecture.empty())
    lines.emplace_back("elfArchitecture", module.elfArchitecture);
  if (!module.buildId.empty())
    lines.emplace_back("buildId", module.buildId);
  lines.emplace_back("source", module.source == ModuleReport::Source::Core ? "core" : "file");
  if (module.package)
    for (const auto &[key, value] : module.package->fields)
      lines.emplace_back(key, value);
  else
    lines.emplace_back("package", "(none)");
  for (std::size_t i = 0; i < module.extraPackages.size(); ++i)
    addPackage(lines, module.extraPackages[i], i + 2);
}

std::string joined(const std::vector<std::string> &names, const char *separator) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : separator) + name;
  return text;
}

// `read --deps`: one line per needed library, with where it was found.
void addDependencies(Lines &lines, const Dependencies &dependencies) {
  lines.emplace_back("", "");
  if (dependencies.runpath)
    lines.emplace_back("runpath", *dependencies.runpath);
  if (dependencies.rpath)
    lines.emplace_back("rpath", *dependencies.rpath);
  auto where = [&](const std::string &soname) -> std::string {
    for (const auto &[name, path] : dependencies.resolved)
      if (name == soname)
        return path ? " => " + *path : " => not found";
    return "";
  };
  if (dependencies.needed.empty())
    lines.emplace_back("needed", "(none)");
  for (const std::string &soname : dependencies.needed)
    lines.emplace_back("needed", soname + where(soname));
  for (const DlopenEntry &entry : dependencies.dlopen) {
    std::string found;
    for (const std::string &soname : entry.sonames)
      if (found.empty() && !where(soname).empty() && where(soname) != " => not found")
        found = where(soname);
    lines.emplace_back(
        "dlopen", (entry.feature.empty() ? "" : entry.feature + ": ") +
                      joined(entry.sonames, " | ") +
                      (entry.priority.empty() ? "" : " (" + entry.priority + ")") +
                      (found.empty() ? (dependencies.isResolved ? " => not found" : "") : found));
  }
  if (!dependencies.dlopenError.empty())
    lines.emplace_back("dlopenError", dependencies.dlopenError);
}

} // namespace

std::string reportToText(const FileReport &report) {
  Lines lines;
  lines.emplace_back("path", report.path);
  if (report.image) // the image, ref and platform head the group (imageHeading)
    lines.emplace_back("layer", report.image->layer);
  lines.emplace_back("elfType", std::string(elfKindName(report.kind)));
  if (!report.elfArchitecture.empty())
    lines.emplace_back("elfArchitecture", report.elfArchitecture);
  if (!report.executable.empty())
    lines.emplace_back("executable", report.executable);
  if (!report.emulatedArchitecture.empty())
    lines.emplace_back("emulator",
                       "this process emulated a foreign " + report.emulatedArchitecture + " guest");
  if (!report.buildId.empty())
    lines.emplace_back("buildId", report.buildId);
  if (report.packages.empty() && report.kind != ElfKind::Core)
    lines.emplace_back("package", "(none)");
  for (std::size_t i = 0; i < report.packages.size(); ++i)
    addPackage(lines, report.packages[i].metadata, i + 1);
  for (const ModuleReport &module : report.modules)
    addModule(lines, module);
  if (report.dependencies)
    addDependencies(lines, *report.dependencies);

  std::size_t width = 0;
  for (const auto &line : lines)
    width = std::max(width, line.first.size());
  std::string text;
  for (const auto &[key, value] : lines) {
    if (key.empty()) {
      text += '\n';
      continue;
    }
    text.append(width - key.size(), ' ');
    text += key;
    text += ": ";
    text += value;
    text += '\n';
  }
  return text;
}

} // namespace pkgnote

namespace pkgnote {

std::string imageHeading(const ImageOrigin &origin) {
  std::string text = "image: " + origin.image;
  if (!origin.ref.empty())
    text += "  ref: " + origin.ref;
  if (!origin.platform.empty())
    text += "  platform: " + origin.platform;
  if (!origin.manifestDigest.empty())
    text += "  manifest: " + origin.manifestDigest;
  return text + '\n';
}

} // namespace pkgnote
