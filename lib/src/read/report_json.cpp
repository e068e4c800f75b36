// SPDX-License-Identifier: MIT
// The JSON Lines schema of `pkgnote read --json` (pkgnote-read(1)). Keys keep their order
// (ordered_json), package keys keep the note's order, and unknown package keys are kept.
#include "pkgnote/elf_report.h"

#include <nlohmann/json.hpp>

namespace pkgnote {

using Json = nlohmann::ordered_json;

// An object with room for COUNT members. Members are appended with add(): the keys of a report
// are distinct by construction (package keys are checked when the note is decoded), so the
// per-key search of operator[] and the regrowth of the member vector are skipped; a walk over
// /usr prints thousands of these.
static Json objectWithRoom(std::size_t count) {
  Json object = Json::object();
  object.get_ref<Json::object_t &>().reserve(count);
  return object;
}

template <class Key, class Value> static void add(Json &object, Key &&key, Value &&value) {
  object.get_ref<Json::object_t &>().emplace_back(std::forward<Key>(key),
                                                  std::forward<Value>(value));
}

static Json packageJson(const PackageMetadata &metadata) {
  Json object = objectWithRoom(metadata.fields.size());
  for (const auto &[key, value] : metadata.fields)
    add(object, key, value);
  return object;
}

static Json extraPackagesJson(const std::vector<PackageMetadata> &packages) {
  Json array = Json::array();
  for (const PackageMetadata &package : packages)
    array.push_back(packageJson(package));
  return array;
}

static Json moduleJson(const ModuleReport &module) {
  Json object = objectWithRoom(6);
  add(object, "path", module.path);
  if (!module.elfArchitecture.empty())
    add(object, "elfArchitecture", module.elfArchitecture);
  if (!module.buildId.empty())
    add(object, "buildId", module.buildId);
  if (module.package)
    add(object, "package", packageJson(*module.package));
  if (!module.extraPackages.empty())
    add(object, "extraPackages", extraPackagesJson(module.extraPackages));
  add(object, "source", module.source == ModuleReport::Source::Core ? "core" : "file");
  return object;
}

static Json dlopenJson(const std::vector<DlopenEntry> &entries) {
  Json array = Json::array();
  for (const DlopenEntry &entry : entries) {
    Json object = objectWithRoom(4);
    if (!entry.feature.empty())
      add(object, "feature", entry.feature);
    if (!entry.description.empty())
      add(object, "description", entry.description);
    if (!entry.priority.empty())
      add(object, "priority", entry.priority);
    add(object, "soname", entry.sonames);
    array.push_back(std::move(object));
  }
  return array;
}

// `read --deps` (FORMAT.md "Dependencies").
static void addDependencies(Json &object, const Dependencies &dependencies) {
  add(object, "needed", dependencies.needed);
  if (dependencies.runpath)
    add(object, "runpath", *dependencies.runpath);
  if (dependencies.rpath)
    add(object, "rpath", *dependencies.rpath);
  if (!dependencies.dlopen.empty())
    add(object, "dlopen", dlopenJson(dependencies.dlopen));
  if (!dependencies.dlopenError.empty())
    add(object, "dlopenError", dependencies.dlopenError);
  if (!dependencies.isResolved)
    return;
  Json resolved = objectWithRoom(dependencies.resolved.size());
  for (const auto &[soname, path] : dependencies.resolved)
    add(resolved, soname, path ? Json(*path) : Json(nullptr));
  add(object, "resolved", std::move(resolved));
}

std::string reportToJson(const FileReport &report) {
  Json object = objectWithRoom(report.image ? 14 : 10);
  add(object, "path", report.path);
  if (report.image) {
    add(object, "image", report.image->image);
    if (!report.image->ref.empty())
      add(object, "ref", report.image->ref);
    if (!report.image->platform.empty())
      add(object, "platform", report.image->platform);
    add(object, "layer", report.image->layer);
  }
  add(object, "format", fileFormatName(report.format));
  if (report.format == FileFormat::Pe) {
    add(object, "peType", report.peType);
    add(object, "machine", report.elfArchitecture);
  } else {
    add(object, "elfType", elfKindName(report.kind));
    if (!report.elfArchitecture.empty())
      add(object, "elfArchitecture", report.elfArchitecture);
  }
  // A core's: the crashed process's executable, and a guest's machine when it emulated one.
  if (!report.executable.empty())
    add(object, "executable", report.executable);
  if (!report.emulatedArchitecture.empty())
    add(object, "emulatedArchitecture", report.emulatedArchitecture);
  if (!report.buildId.empty())
    add(object, "buildId", report.buildId);
  if (!report.packages.empty())
    add(object, "package", packageJson(report.packages.front().metadata));
  if (report.packages.size() > 1) {
    std::vector<PackageMetadata> extra;
    for (std::size_t i = 1; i < report.packages.size(); ++i)
      extra.push_back(report.packages[i].metadata);
    add(object, "extraPackages", extraPackagesJson(extra));
  }
  if (report.dependencies)
    addDependencies(object, *report.dependencies);
  if (report.kind == ElfKind::Core) {
    Json modules = Json::array();
    for (const ModuleReport &module : report.modules)
      modules.push_back(moduleJson(module));
    add(object, "modules", std::move(modules));
  }
  // Paths need not be UTF-8; replacing bad bytes keeps every line valid JSON (and never throws).
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace pkgnote
