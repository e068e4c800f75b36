// SPDX-License-Identifier: MIT
// parseDlopenNotes (dlopen_note.h). The spec's fields are "soname" (an array of names, any of
// which will do), "feature", "description" and "priority" ("required", "recommended",
// "suggested"); unknown fields are ignored, as the spec allows them to be added.
#include "read/dlopen_note.h"

#include <nlohmann/json.hpp>

namespace pkgnote::detail {
namespace {

using Json = nlohmann::json;

// The string member KEY of OBJECT ("" when absent); an error message when it is not a string.
std::string stringMember(const Json &object, const char *key, std::string &problem) {
  auto found = object.find(key);
  if (found == object.end())
    return {};
  if (!found->is_string()) {
    problem = std::string("\"") + key + "\" is not a string";
    return {};
  }
  return found->get<std::string>();
}

// The entries of one note, or a message saying what is wrong with it.
std::string parseNote(std::string_view desc, std::vector<DlopenEntry> &out) {
  while (!desc.empty() && desc.back() == '\0') // descsz may count the padding
    desc.remove_suffix(1);
  Json array = Json::parse(desc.begin(), desc.end(), nullptr, /*allow_exceptions=*/false);
  if (array.is_discarded())
    return "not JSON";
  if (!array.is_array())
    return "not a JSON array";
  std::vector<DlopenEntry> entries;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const Json &object = array[i];
    std::string where = "entry " + std::to_string(i) + ": ";
    if (!object.is_object())
      return where + "not an object";
    std::string problem;
    DlopenEntry entry;
    entry.feature = stringMember(object, "feature", problem);
    entry.description = stringMember(object, "description", problem);
    entry.priority = stringMember(object, "priority", problem);
    if (!problem.empty())
      return where + problem;
    auto sonames = object.find("soname");
    if (sonames == object.end() || !sonames->is_array() || sonames->empty())
      return where + "\"soname\" is not a non-empty array";
    for (const Json &soname : *sonames) {
      if (!soname.is_string() || soname.get_ref<const std::string &>().empty())
        return where + "\"soname\" holds something other than a name";
      entry.sonames.push_back(soname.get<std::string>());
    }
    entries.push_back(std::move(entry));
  }
  out.insert(out.end(), entries.begin(), entries.end());
  return {};
}

} // namespace

void parseDlopenNotes(const std::vector<std::string> &notes, Dependencies &dependencies) {
  for (std::size_t i = 0; i < notes.size(); ++i) {
    std::string problem = parseNote(notes[i], dependencies.dlopen);
    if (!problem.empty() && dependencies.dlopenError.empty())
      dependencies.dlopenError = "dlopen note " + std::to_string(i + 1) + ": " + problem;
  }
}

} // namespace pkgnote::detail
