// SPDX-License-Identifier: MIT
// A reader for the few fields of a deb control file that verify needs (deb-control(5)): one
// paragraph of "Field: value" lines, continuation lines start with a space or a tab (only
// Description has them, and it is not read). Field names are case-insensitive.
#include "verify/deb_control.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>

namespace pkgnote::detail {
namespace {

llvm::Error controlError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "control file: " + message);
}

std::map<std::string, std::string> parseFields(llvm::StringRef text) {
  std::map<std::string, std::string> fields;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    text = rest;
    if (line.trim().empty())
      break; // a binary package's control file has one paragraph
    if (line.front() == ' ' || line.front() == '\t')
      continue;
    auto [name, value] = line.split(':');
    fields.emplace(name.trim().lower(), value.trim().str());
  }
  return fields;
}

} // namespace

llvm::Expected<PackageMetadata> debExpectedMetadata(std::string_view control) {
  std::map<std::string, std::string> fields = parseFields(llvm::StringRef(control));
  auto field = [&](const char *name) -> const std::string * {
    auto found = fields.find(name);
    return found == fields.end() || found->second.empty() ? nullptr : &found->second;
  };
  const std::string *package = field("package");
  const std::string *version = field("version");
  const std::string *architecture = field("architecture");
  if (!package || !version || !architecture)
    return controlError(llvm::Twine("no ") +
                        (!package ? "Package" : !version ? "Version" : "Architecture") + " field");
  std::string name = *package;
  if (const std::string *source = field("source")) {
    // "Source: systemd (252.19-1~deb12u1)" when the binary version differs from the source's.
    name = llvm::StringRef(*source).split(' ').first.str();
  }
  PackageMetadata metadata;
  metadata.fields = {{"type", "deb"}, {"name", name}, {"version", *version},
                     {"architecture", *architecture}};
  return metadata;
}

} // namespace pkgnote::detail
