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

} // namespace

std::string reportToText(const FileReport &report) {
  Lines lines;
  lines.emplace_back("path", report.path);
  if (report.image) // the image, ref and platform head the group (imageHeading)
    lines.emplace_back("layer", report.image->layer);
  if (report.format == FileFormat::Pe) {
    lines.emplace_back("format", "pe");
    lines.emplace_back("peType", report.peType);
    lines.emplace_back("machine", report.elfArchitecture);
  } else {
    lines.emplace_back("elfType", std::string(elfKindName(report.kind)));
    if (!report.elfArchitecture.empty())
      lines.emplace_back("elfArchitecture", report.elfArchitecture);
  }
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
