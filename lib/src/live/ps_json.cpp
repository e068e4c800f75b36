// SPDX-License-Identifier: MIT
// processToJson (ps.h): FORMAT.md's `pkgnote ps` record, keys in a fixed order (ordered_json),
// package keys in the note's order, bytes that are not UTF-8 (in paths) as U+FFFD.
#include "pkgnote/ps.h"

#include <nlohmann/json.hpp>

namespace pkgnote {
namespace {

using Json = nlohmann::ordered_json;

Json packageJson(const PackageMetadata &metadata) {
  Json object = Json::object();
  for (const auto &[key, value] : metadata.fields)
    object[key] = value;
  return object;
}

// The build fields a module and its installed file share.
void addBuild(Json &object, const ModuleReport &module) {
  if (!module.elfArchitecture.empty())
    object["elfArchitecture"] = module.elfArchitecture;
  if (!module.buildId.empty())
    object["buildId"] = module.buildId;
  if (module.package)
    object["package"] = packageJson(*module.package);
  if (!module.extraPackages.empty()) {
    Json extra = Json::array();
    for (const PackageMetadata &package : module.extraPackages)
      extra.push_back(packageJson(package));
    object["extraPackages"] = std::move(extra);
  }
}

const char *sourceName(ProcessModule::Source source) {
  switch (source) {
  case ProcessModule::Source::File:
    return "file";
  case ProcessModule::Source::Mapping:
    return "mapping";
  case ProcessModule::Source::Memory:
    return "memory";
  }
  return "file";
}

Json moduleJson(const ProcessModule &module) {
  Json object = {{"path", module.module.path}};
  addBuild(object, module.module);
  object["source"] = sourceName(module.source);
  object["deleted"] = module.deleted;
  if (module.installed == ProcessModule::Installed::Gone) {
    object["installed"] = nullptr;
  } else if (module.installed == ProcessModule::Installed::Differs) {
    Json installed = Json::object();
    addBuild(installed, module.installedFile);
    object["installed"] = std::move(installed);
  }
  if (module.guest)
    object["guest"] = true;
  return object;
}

} // namespace

std::string processToJson(const ProcessReport &process) {
  Json object = {{"pid", process.pid}};
  if (!process.comm.empty())
    object["comm"] = process.comm;
  if (process.error) {
    object["error"] = *process.error;
    return object.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  if (!process.exe.empty())
    object["exe"] = process.exe;
  if (!process.root.empty())
    object["root"] = process.root;
  Json modules = Json::array();
  for (const ProcessModule &module : process.modules)
    modules.push_back(moduleJson(module));
  object["modules"] = std::move(modules);
  object["stale"] = process.stale();
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace pkgnote
