// SPDX-License-Identifier: MIT
// The JSON Lines record of `pkgnote stamp --json` (pkgnote-stamp(1)): one per file, a refused
// file included, so that a build log or a script sees every file's fate on stdout.
#include "pkgnote/stamp.h"

#include <nlohmann/json.hpp>

namespace pkgnote {

std::string_view stampActionName(StampAction action) {
  switch (action) {
  case StampAction::Stamped:
    return "stamped";
  case StampAction::Unchanged:
    return "unchanged";
  case StampAction::LeftAlone:
    return "left-alone";
  case StampAction::Skipped:
    return "skipped";
  }
  return "skipped";
}

std::string stampRecordToJson(const std::string &path, const Result<StampOutcome> &outcome) {
  nlohmann::ordered_json object;
  object["path"] = path;
  if (!outcome) {
    object["action"] = "refused";
    object["error"] = outcome.error().message;
  } else {
    object["action"] = std::string(stampActionName(outcome->action));
    if (outcome->action == StampAction::Stamped)
      object["layout"] = outcome->layout;
  }
  // Paths need not be UTF-8: replaced, never an exception.
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace pkgnote
