// SPDX-License-Identifier: MIT
// The purl of a package note. The type and namespace conventions are syft's (its ELF package-note
// cataloger), so that grype matches pkgnote's purls as it matches syft's; the encoding is the
// purl specification's (every byte outside the unreserved set and ':' percent-encoded).
#include "pkgnote/purl.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>

namespace pkgnote {
namespace {

std::string lowerCase(std::string text) {
  for (char &c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string valueOr(const std::string *value) { return value ? *value : std::string(); }

bool isUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~';
}

// The purl types whose namespace is a distribution: the package managers that write notes.
std::string purlType(const std::string *noteType) {
  static constexpr std::array<std::string_view, 4> kDistributionTypes = {"alpm", "apk", "deb",
                                                                         "rpm"};
  if (noteType)
    for (std::string_view type : kDistributionTypes)
      if (lowerCase(*noteType) == type)
        return std::string(type);
  return "generic";
}

// rpm's "EPOCH:VERSION-RELEASE": the purl spec puts the epoch in a qualifier for rpm.
std::pair<std::string, std::string> splitRpmEpoch(const std::string &version) {
  std::size_t colon = version.find(':');
  if (colon == std::string::npos || colon == 0 ||
      !std::all_of(version.begin(), version.begin() + colon,
                   [](unsigned char c) { return std::isdigit(c); }))
    return {std::string(), version};
  return {version.substr(0, colon), version.substr(colon + 1)};
}

} // namespace

bool PackageOs::operator<(const PackageOs &other) const {
  return std::tie(id, version, cpe) < std::tie(other.id, other.version, other.cpe);
}

bool PackageOs::operator==(const PackageOs &other) const {
  return std::tie(id, version, cpe) == std::tie(other.id, other.version, other.cpe);
}

std::optional<PackageOs> osOfPackage(const PackageMetadata &metadata) {
  PackageOs os;
  os.cpe = valueOr(metadata.osCpe());
  std::optional<CpeName> cpe = parseCpe(os.cpe);
  if (const std::string *id = metadata.find("os"); id && !id->empty()) {
    os.id = lowerCase(*id);
    os.version = valueOr(metadata.find("osVersion"));
    if (os.version.empty() && cpe)
      os.version = cpe->version;
  } else if (cpe && !cpe->product.empty()) {
    os.id = lowerCase(cpe->product);
    os.version = cpe->version;
  } else if (os.cpe.empty()) {
    return std::nullopt;
  }
  return os;
}

std::optional<PackageUrl> packageUrlOf(const PackageMetadata &metadata) {
  const std::string *name = metadata.name();
  if (!name || name->empty())
    return std::nullopt;
  PackageUrl purl;
  purl.type = purlType(metadata.type());
  // The deb, apk and alpm type definitions say their names are case-insensitive, lower case.
  purl.name = purl.type == "rpm" || purl.type == "generic" ? *name : lowerCase(*name);
  purl.version = valueOr(metadata.version());
  std::optional<PackageOs> os = osOfPackage(metadata);
  if (os && purl.type != "generic")
    purl.nameSpace = os->id;

  std::vector<std::pair<std::string, std::string>> qualifiers;
  qualifiers.emplace_back("arch", valueOr(metadata.architecture()));
  if (os && !os->id.empty())
    qualifiers.emplace_back("distro", os->version.empty() ? os->id : os->id + "-" + os->version);
  if (purl.type == "rpm") {
    auto [epoch, version] = splitRpmEpoch(purl.version);
    qualifiers.emplace_back("epoch", epoch);
    purl.version = version;
  }
  for (auto &qualifier : qualifiers)
    if (!qualifier.second.empty())
      purl.qualifiers.push_back(std::move(qualifier));
  std::sort(purl.qualifiers.begin(), purl.qualifiers.end());
  return purl;
}

std::string percentEncode(std::string_view text, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (isUnreserved(byte) || keep.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

std::string toString(const PackageUrl &purl) {
  // The spec's rule: the colon is never encoded, in any component.
  std::string out = "pkg:" + purl.type + "/";
  if (!purl.nameSpace.empty())
    out += percentEncode(purl.nameSpace, ":") + "/";
  out += percentEncode(purl.name, ":");
  if (!purl.version.empty())
    out += "@" + percentEncode(purl.version, ":");
  char separator = '?';
  for (const auto &[key, value] : purl.qualifiers) {
    out += separator;
    out += key + "=" + percentEncode(value, ":");
    separator = '&';
  }
  return out;
}

} // namespace pkgnote
