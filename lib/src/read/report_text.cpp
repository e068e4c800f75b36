// SPDX-License-Identifier: MIT
// The human form of a report, laid out for scanning a tree's worth of them: each file one block
// that starts with its `path:` line at the margin; what belongs to something else is indented
// under it (a package's keys under `package:`, a core's modules and their packages under
// `module:`). Values start in one column for every record of a run, so that a listing reads as a
// table; a key too long for the column is followed by one space. A file without a note says
// `package: unstamped`, the word binfmt and the summary use. The same facts as the JSON record,
// under the same key names.
#include "pkgnote/elf_report.h"

#include <string>

namespace pkgnote {
namespace {

// Where values start: room for "  elfArchitecture: " (a module's key, one level in).
constexpr std::size_t kValueColumn = 19;

void line(std::string &text, std::size_t depth, const std::string &key, const std::string &value) {
  std::size_t start = text.size();
  text.append(2 * depth, ' ');
  text += key;
  text += ':';
  if (!value.empty()) {
    std::size_t used = text.size() - start;
    text.append(used + 1 < kValueColumn ? kValueColumn - used : 1, ' ');
    text += value;
  }
  text += '\n';
}

// "package:" (or LABEL) with the note's keys one level further in; "unstamped" without a note.
void addPackage(std::string &text, std::size_t depth, const char *label,
                const PackageMetadata *package) {
  if (!package) {
    line(text, depth, label, "unstamped");
    return;
  }
  line(text, depth, label, "");
  for (const auto &[key, value] : package->fields)
    line(text, depth + 1, key, value);
}

void addModule(std::string &text, const ModuleReport &module) {
  line(text, 0, "module", module.path);
  if (!module.elfArchitecture.empty())
    line(text, 1, "elfArchitecture", module.elfArchitecture);
  if (!module.buildId.empty())
    line(text, 1, "buildId", module.buildId);
  line(text, 1, "source", module.source == ModuleReport::Source::Core ? "core" : "file");
  addPackage(text, 1, "package", module.package ? &*module.package : nullptr);
  for (const PackageMetadata &extra : module.extraPackages)
    addPackage(text, 1, "extraPackage", &extra);
}

std::string joined(const std::vector<std::string> &names, const char *separator) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : separator) + name;
  return text;
}

// `read --deps`: one line per needed library, with where it was found, at the file's level.
void addDependencies(std::string &text, const Dependencies &dependencies) {
  if (dependencies.runpath)
    line(text, 0, "runpath", *dependencies.runpath);
  if (dependencies.rpath)
    line(text, 0, "rpath", *dependencies.rpath);
  auto where = [&](const std::string &soname) -> std::string {
    for (const auto &[name, path] : dependencies.resolved)
      if (name == soname)
        return path ? " => " + *path : " => not found";
    return "";
  };
  if (dependencies.needed.empty())
    line(text, 0, "needed", "(none)");
  for (const std::string &soname : dependencies.needed)
    line(text, 0, "needed", soname + where(soname));
  for (const DlopenEntry &entry : dependencies.dlopen) {
    std::string found;
    for (const std::string &soname : entry.sonames)
      if (found.empty() && !where(soname).empty() && where(soname) != " => not found")
        found = where(soname);
    line(text, 0, "dlopen",
         (entry.feature.empty() ? "" : entry.feature + ": ") + joined(entry.sonames, " | ") +
             (entry.priority.empty() ? "" : " (" + entry.priority + ")") +
             (found.empty() ? (dependencies.isResolved ? " => not found" : "") : found));
  }
  if (!dependencies.dlopenError.empty())
    line(text, 0, "dlopenError", dependencies.dlopenError);
}

} // namespace

std::string reportToText(const FileReport &report) {
  std::string text;
  line(text, 0, "path", report.path);
  if (report.image) // the image, ref and platform head the group (imageHeading)
    line(text, 0, "layer", report.image->layer);
  if (report.format == FileFormat::Pe) {
    line(text, 0, "format", "pe");
    line(text, 0, "peType", report.peType);
    line(text, 0, "machine", report.elfArchitecture);
  } else {
    line(text, 0, "elfType", std::string(elfKindName(report.kind)));
    if (!report.elfArchitecture.empty())
      line(text, 0, "elfArchitecture", report.elfArchitecture);
  }
  if (!report.executable.empty())
    line(text, 0, "executable", report.executable);
  if (!report.emulatedArchitecture.empty())
    line(text, 0, "emulatedArchitecture", report.emulatedArchitecture);
  if (!report.buildId.empty())
    line(text, 0, "buildId", report.buildId);
  if (report.kind != ElfKind::Core)
    addPackage(text, 0, "package",
               report.packages.empty() ? nullptr : &report.packages.front().metadata);
  for (std::size_t i = 1; i < report.packages.size(); ++i)
    addPackage(text, 0, "extraPackage", &report.packages[i].metadata);
  for (const ModuleReport &module : report.modules)
    addModule(text, module);
  if (report.dependencies)
    addDependencies(text, *report.dependencies);
  return text;
}

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
