// The JSON Lines schema of `pkgnote read --json` (FORMAT.md). Keys keep their order
// (ordered_json), package keys keep the note's order, and unknown package keys are kept.
#include "pkgnote/elf_report.h"

#include <nlohmann/json.hpp>

namespace pkgnote {

using Json = nlohmann::ordered_json;

static Json packageJson(const PackageMetadata &metadata) {
  Json object = Json::object();
  for (const auto &[key, value] : metadata.fields)
    object[key] = value;
  return object;
}

static Json extraPackagesJson(const std::vector<PackageMetadata> &packages) {
  Json array = Json::array();
  for (const PackageMetadata &package : packages)
    array.push_back(packageJson(package));
  return array;
}

static Json moduleJson(const ModuleReport &module) {
  Json object = Json::object();
  object["path"] = module.path;
  if (!module.elfArchitecture.empty())
    object["elfArchitecture"] = module.elfArchitecture;
  if (!module.buildId.empty())
    object["buildId"] = module.buildId;
  if (module.package)
    object["package"] = packageJson(*module.package);
  if (!module.extraPackages.empty())
    object["extraPackages"] = extraPackagesJson(module.extraPackages);
  object["source"] = module.source == ModuleReport::Source::Core ? "core" : "file";
  return object;
}

std::string reportToJson(const FileReport &report) {
  Json object = Json::object();
  object["path"] = report.path;
  object["elfType"] = std::string(elfKindName(report.kind));
  if (!report.elfArchitecture.empty())
    object["elfArchitecture"] = report.elfArchitecture;
  if (!report.buildId.empty())
    object["buildId"] = report.buildId;
  if (!report.packages.empty())
    object["package"] = packageJson(report.packages.front().metadata);
  if (report.packages.size() > 1) {
    std::vector<PackageMetadata> extra;
    for (std::size_t i = 1; i < report.packages.size(); ++i)
      extra.push_back(report.packages[i].metadata);
    object["extraPackages"] = extraPackagesJson(extra);
  }
  if (report.kind == ElfKind::Core) {
    Json modules = Json::array();
    for (const ModuleReport &module : report.modules)
      modules.push_back(moduleJson(module));
    object["modules"] = std::move(modules);
  }
  // Paths need not be UTF-8; replacing bad bytes keeps every line valid JSON (and never throws).
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace pkgnote
