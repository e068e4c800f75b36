// SPDX-License-Identifier: MIT
// The JSON form of a binfmt registration (`pkgnote binfmt --json`, one object per line). Keys
// follow the order a reader scans them in: what it is, where it came from, what it matches, what
// runs, and the interpreter's package note ("package" absent when the interpreter is unstamped,
// as in `pkgnote read --json`).
#include "pkgnote/binfmt.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringExtras.h>

#include <nlohmann/json.hpp>

namespace pkgnote {

namespace {

nlohmann::ordered_json toJson(const BinfmtRegistration &registration) {
  const BinfmtEntry &entry = registration.entry;
  nlohmann::ordered_json json;
  json["name"] = entry.name;
  json["source"] = std::string(toString(entry.source));
  json["origin"] = entry.origin;
  json["enabled"] = entry.enabled;
  json["active"] = registration.active;
  if (!registration.shadowedBy.empty())
    json["shadowedBy"] = registration.shadowedBy;
  json["type"] = entry.byExtension ? "extension" : "magic";
  if (entry.byExtension) {
    json["extension"] = entry.extension;
  } else {
    json["offset"] = entry.offset;
    json["magic"] = llvm::toHex(llvm::makeArrayRef(entry.magic), /*LowerCase=*/true);
    if (!entry.mask.empty())
      json["mask"] = llvm::toHex(llvm::makeArrayRef(entry.mask), /*LowerCase=*/true);
  }
  json["interpreter"] = entry.interpreter;
  if (!registration.interpreter.resolvedPath.empty())
    json["interpreterPath"] = registration.interpreter.resolvedPath;
  json["flags"] = toString(entry.flags);
  json["preserveArgv0"] = entry.flags.preserveArgv0;
  json["openBinary"] = entry.flags.openBinary;
  json["credentials"] = entry.flags.credentials;
  json["fixBinary"] = entry.flags.fixBinary;
  if (entry.declaredPackage)
    json["declaredBy"] = *entry.declaredPackage;
  if (entry.detector)
    json["detector"] = *entry.detector;
  json["stamped"] = registration.interpreter.package.has_value();
  if (registration.interpreter.package) {
    nlohmann::ordered_json package = nlohmann::ordered_json::object();
    for (const auto &[key, value] : registration.interpreter.package->fields)
      package[key] = value;
    json["package"] = std::move(package);
  }
  if (registration.interpreter.error)
    json["interpreterError"] = *registration.interpreter.error;
  return json;
}

// Paths are bytes; a name that is not UTF-8 is shown with U+FFFD rather than failing.
std::string dumpLine(const nlohmann::ordered_json &json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace

std::string toJsonLine(const BinfmtRegistration &registration) {
  return dumpLine(toJson(registration));
}

std::string binfmtProblemToJsonLine(const std::string &path, const Error &problem) {
  nlohmann::ordered_json json;
  json["path"] = path;
  json["error"] = problem.message;
  return dumpLine(json);
}

std::string whichToJsonLine(const std::string &path,
                            const std::vector<const BinfmtRegistration *> &matches) {
  nlohmann::ordered_json json;
  json["path"] = path;
  json["handler"] = matches.empty() ? nlohmann::ordered_json() : toJson(*matches.front());
  json["alsoMatching"] = nlohmann::ordered_json::array();
  for (std::size_t i = 1; i < matches.size(); ++i)
    json["alsoMatching"].push_back(toJson(*matches[i]));
  return dumpLine(json);
}

} // namespace pkgnote
