// SPDX-License-Identifier: MIT
// The verify verdict as a JSON Lines object (pkgnote-verify(1)) and as the human line for a file
// that is not ok. Keys keep their order (ordered_json); the note's keys keep the note's order.
#include "pkgnote/verify.h"

#include <nlohmann/json.hpp>

namespace pkgnote {

using Json = nlohmann::ordered_json;

static Json metadataJson(const PackageMetadata &metadata) {
  Json object = Json::object();
  for (const auto &[key, value] : metadata.fields)
    object[key] = value;
  return object;
}

std::string verdictToJson(const FileVerdict &verdict) {
  Json object = Json::object();
  object["package"] = verdict.package;
  if (!verdict.path.empty()) // empty: the package itself could not be read
    object["path"] = verdict.path;
  object["verdict"] = std::string(verdictName(verdict.verdict));
  object["expected"] = metadataJson(verdict.expected);
  if (verdict.found)
    object["found"] = metadataJson(*verdict.found);
  if (verdict.verdict == Verdict::Mismatch)
    object["differences"] = verdict.differences;
  if (verdict.verdict == Verdict::Error)
    object["error"] = verdict.error;
  if (verdict.verdict == Verdict::LeakedFlags)
    object["leaked"] = verdict.leaked;
  // Paths and values from a hostile package need not be UTF-8: replaced, never an exception.
  return object.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string verdictToText(const FileVerdict &verdict) {
  std::string line = verdict.package + ": " + verdict.path + ": ";
  line += verdictName(verdict.verdict);
  if (verdict.verdict == Verdict::Error)
    return line + ": " + verdict.error;
  if (verdict.verdict == Verdict::LeakedFlags)
    return line + ": " + verdict.leaked;
  for (std::size_t i = 0; i < verdict.differences.size(); ++i) {
    const std::string &key = verdict.differences[i];
    const std::string *expected = verdict.expected.find(key);
    const std::string *found = verdict.found ? verdict.found->find(key) : nullptr;
    line += (i ? ", " : ": ") + key + " expected '" + (expected ? *expected : "") + "', found " +
            (found ? "'" + *found + "'" : "none");
  }
  return line;
}

} // namespace pkgnote
