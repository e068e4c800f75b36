// SPDX-License-Identifier: MIT
// processToText (ps.h): a heading per process and a line per module that a person can act on:
// "PATH: running libfoo 1.0, installed libfoo 1.1" for a stale module.
#include "pkgnote/ps.h"

namespace pkgnote {
namespace {

// "NAME VERSION" from the note; the build-id when there is no note; "unstamped" when neither.
std::string buildText(const ModuleReport &module) {
  if (module.package) {
    const std::string *name = module.package->name();
    const std::string *version = module.package->version();
    std::string text = name ? *name : "(unnamed)";
    if (version)
      text += " " + *version;
    return text;
  }
  if (!module.buildId.empty())
    return "unstamped, build-id " + module.buildId;
  return "unstamped";
}

std::string moduleLine(const ProcessModule &module) {
  std::string line = "    " + module.module.path + ": ";
  if (module.stale()) {
    line += "running " + buildText(module.module) + ", installed ";
    if (module.installed == ProcessModule::Installed::Gone)
      line += "nothing (deleted)";
    else if (module.installed == ProcessModule::Installed::Differs)
      line += buildText(module.installedFile);
    else
      line += "unknown";
  } else {
    line += buildText(module.module);
    if (module.deleted)
      line += " (replaced by the same build)";
  }
  if (module.guest)
    line += " [guest " + module.module.elfArchitecture + "]";
  return line + "\n";
}

} // namespace

std::string processToText(const ProcessReport &process) {
  std::string text = std::to_string(process.pid) + " " + process.comm;
  if (process.error)
    return text + ": error: " + *process.error + "\n";
  if (!process.exe.empty())
    text += " " + process.exe;
  if (!process.root.empty())
    text += " (root " + process.root + ")";
  if (process.stale())
    text += " [stale]";
  text += "\n";
  for (const ProcessModule &module : process.modules)
    text += moduleLine(module);
  return text;
}

} // namespace pkgnote
