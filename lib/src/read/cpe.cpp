// SPDX-License-Identifier: MIT
// The few fields of a CPE name that give a note's distribution (purl namespace, OS component):
// Fedora writes CPE 2.2 URIs in /usr/lib/system-release-cpe, NVD and others the 2.3 formatted
// string; both are read here, with their own escaping rules.
#include "pkgnote/purl.h"

#include <algorithm>
#include <cctype>

namespace pkgnote {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

// CPE 2.2 URI components are percent-encoded (RFC 3986); a bad escape is kept as written.
std::string percentDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = hexValue(text[i + 1]), low = hexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// "*" (ANY) and "-" (NA) say nothing about the value.
std::string logicalValue(std::string value) {
  return value == "*" || value == "-" ? std::string() : value;
}

// Splits a 2.3 formatted string at the colons that no backslash quotes, unquoting as it goes.
std::vector<std::string> splitFormattedString(std::string_view text) {
  std::vector<std::string> fields(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      fields.back() += text[++i];
      continue;
    }
    if (text[i] == ':')
      fields.emplace_back();
    else
      fields.back() += text[i];
  }
  return fields;
}

std::vector<std::string> splitUri(std::string_view text) {
  std::vector<std::string> fields(1);
  for (char c : text) {
    if (c == ':')
      fields.emplace_back();
    else
      fields.back() += c;
  }
  for (std::string &field : fields)
    field = percentDecode(field);
  return fields;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
      return false;
  return true;
}

} // namespace

std::optional<CpeName> parseCpe(std::string_view text) {
  std::vector<std::string> fields; // part, vendor, product, version, ...
  if (startsWithNoCase(text, "cpe:2.3:"))
    fields = splitFormattedString(text.substr(8));
  else if (startsWithNoCase(text, "cpe:/"))
    fields = splitUri(text.substr(5));
  else
    return std::nullopt;
  if (fields[0].size() != 1 || std::string_view("aoh").find(fields[0][0]) == std::string_view::npos)
    return std::nullopt;
  fields.resize(std::max<std::size_t>(fields.size(), 4));
  CpeName name;
  name.part = fields[0][0];
  name.vendor = logicalValue(fields[1]);
  name.product = logicalValue(fields[2]);
  name.version = logicalValue(fields[3]);
  return name;
}

} // namespace pkgnote
