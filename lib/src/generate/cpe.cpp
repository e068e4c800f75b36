// SPDX-License-Identifier: MIT
// CPE names (cpe.h): the few fields that give a note's distribution (purl namespace, OS
// component) read leniently, and the strict check of a value before generate writes it. Fedora
// writes CPE 2.2 URIs in /usr/lib/system-release-cpe, NVD and UAPI.8 also the 2.3 formatted
// string; both are handled here, with their own escaping rules. In generate/, below read/ (the
// purl writer) and beside the metadata builder, which both use it.
#include "pkgnote/cpe.h"

#include <algorithm>
#include <cctype>
#include <vector>

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

// The names of the eleven CPE 2.3 attributes, in their order (NISTIR 7695, 5.3.3); the 2.2 URI
// has the first seven.
constexpr std::string_view kComponentNames[] = {"part",      "vendor",    "product",  "version",
                                                "update",    "edition",   "language", "sw_edition",
                                                "target_sw", "target_hw", "other"};

std::string componentLabel(std::size_t index) {
  return "component " + std::to_string(index + 1) + " (" + std::string(kComponentNames[index]) +
         ")";
}

bool isAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// "'X'" for a printable ASCII byte, "byte 0xNN" otherwise.
std::string describeByte(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f)
    return std::string("'") + c + "'";
  const char digits[] = "0123456789abcdef";
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 15];
}

// One CPE 2.2 URI component: unreserved characters (RFC 3986: letters, digits, - . _ ~) and
// %XX escapes; empty is allowed (an unspecified component).
std::optional<std::string> uriComponentProblem(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::string("truncated percent escape");
      if (hexValue(text[i + 1]) < 0 || hexValue(text[i + 2]) < 0)
        return std::string("bad percent escape at offset ") + std::to_string(i);
      i += 2;
      continue;
    }
    if (!isAsciiAlnum(c) && c != '-' && c != '.' && c != '_' && c != '~')
      return describeByte(c) + " must be percent-encoded";
  }
  return std::nullopt;
}

Status checkUri(std::string_view body) {
  std::vector<std::string_view> components;
  std::size_t start = 0;
  for (std::size_t colon; (colon = body.find(':', start)) != std::string_view::npos;
       start = colon + 1)
    components.push_back(body.substr(start, colon - start));
  components.push_back(body.substr(start));
  if (components.size() > 7)
    return Error{"a CPE 2.2 URI has at most 7 components, not " +
                 std::to_string(components.size())};
  if (components[0].size() != 1 ||
      std::string_view("aho").find(components[0][0]) == std::string_view::npos)
    return Error{componentLabel(0) + ": '" + std::string(components[0]) + "' is not a, h or o"};
  for (std::size_t i = 1; i < components.size(); ++i)
    if (auto problem = uriComponentProblem(components[i]))
      return Error{componentLabel(i) + ": " + *problem};
  return ok();
}

// One CPE 2.3 formatted-string attribute value (NISTIR 7695, 6.2.2, figure 6-3): the logical
// values "*" (ANY) and "-" (NA), or letters, digits, '_', '-', '.' and backslash-quoted
// punctuation, with unquoted '*' (one) or '?' (any number) wildcards only at the start or end.
std::optional<std::string> formattedValueProblem(std::string_view text) {
  if (text.empty())
    return std::string("empty (use * for any value or - for none)");
  if (text == "*" || text == "-")
    return std::nullopt;
  std::size_t lead = 0, trail = text.size();
  if (text[0] == '*')
    lead = 1;
  else
    while (lead < text.size() && text[lead] == '?')
      ++lead;
  auto quotedAt = [&](std::size_t i) { // whether text[i] is quoted by a backslash before it
    std::size_t slashes = 0;
    while (i > slashes && text[i - slashes - 1] == '\\')
      ++slashes;
    return slashes % 2 == 1;
  };
  if (trail > lead && text[trail - 1] == '*' && !quotedAt(trail - 1))
    --trail;
  else
    while (trail > lead && text[trail - 1] == '?' && !quotedAt(trail - 1))
      --trail;
  if (lead == trail)
    return std::string("wildcards without a value");
  for (std::size_t i = lead; i < trail; ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 >= trail)
        return std::string("backslash at the end quotes nothing");
      char quoted = text[++i];
      auto byte = static_cast<unsigned char>(quoted);
      if (isAsciiAlnum(quoted) || byte <= 0x20 || byte >= 0x7f)
        return "backslash before " + describeByte(quoted) + " (only punctuation is quoted)";
      continue;
    }
    if (isAsciiAlnum(c) || c == '_' || c == '-' || c == '.')
      continue;
    if (c == '*' || c == '?')
      return describeByte(c) + " inside a value (wildcards only at its ends; quote it as \\" +
             std::string(1, c) + ")";
    return describeByte(c) + " must be quoted with a backslash";
  }
  return std::nullopt;
}

Status checkFormattedString(std::string_view body) {
  std::vector<std::string_view> components;
  std::size_t start = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\') {
      ++i;
      continue;
    }
    if (body[i] == ':') {
      components.push_back(body.substr(start, i - start));
      start = i + 1;
    }
  }
  components.push_back(body.substr(start));
  if (components.size() != 11)
    return Error{"a CPE 2.3 formatted string has 11 components after cpe:2.3:, not " +
                 std::to_string(components.size())};
  if (components[0].size() != 1 ||
      std::string_view("aho*-").find(components[0][0]) == std::string_view::npos)
    return Error{componentLabel(0) + ": '" + std::string(components[0]) +
                 "' is not a, h, o, * or -"};
  for (std::size_t i = 1; i < components.size(); ++i)
    if (auto problem = formattedValueProblem(components[i]))
      return Error{componentLabel(i) + ": " + *problem};
  return ok();
}

} // namespace

Status checkCpe(std::string_view text) {
  // The prefixes are matched exactly: both specifications write them in lower case.
  if (text.substr(0, 8) == "cpe:2.3:")
    return checkFormattedString(text.substr(8));
  if (text.substr(0, 5) == "cpe:/")
    return checkUri(text.substr(5));
  return Error{"not a CPE 2.2 URI (cpe:/...) or CPE 2.3 formatted string (cpe:2.3:...)"};
}

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
