// SPDX-License-Identifier: MIT
// ld.so.conf as glibc's ldconfig (elf/ldconfig.c, parse_conf) reads it.
#include "resolve/ld_so_conf.h"

#include <algorithm>
#include <fnmatch.h>

namespace pkgnote::detail {
namespace {

constexpr int kMaxIncludeDepth = 16;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<std::string> words(std::string_view line) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < line.size()) {
    while (at < line.size() && isSpace(line[at]))
      ++at;
    std::size_t end = at;
    while (end < line.size() && !isSpace(line[end]))
      ++end;
    if (end > at)
      out.emplace_back(line.substr(at, end - at));
    at = end;
  }
  return out;
}

bool hasGlob(const std::string &text) { return text.find_first_of("*?[") != std::string::npos; }

// The paths PATTERN (absolute inside the root) names, sorted. A wildcard is expanded in the last
// component only (every distribution's "include /etc/ld.so.conf.d/*.conf"); a pattern with
// wildcards in a directory component names nothing.
std::vector<std::string> expandPattern(RootView &root, const std::string &pattern) {
  if (!hasGlob(pattern))
    return {pattern};
  std::string directory = parentOf(pattern);
  std::string last = pattern.substr(pattern.rfind('/') + 1);
  if (hasGlob(directory))
    return {};
  std::optional<std::string> resolved = root.resolve(directory);
  if (!resolved)
    return {};
  std::vector<std::string> out;
  for (const std::string &name : root.names(*resolved))
    if ((name[0] != '.' || last[0] == '.') && globMatches(last, name))
      out.push_back((directory == "/" ? "" : directory) + "/" + name);
  std::sort(out.begin(), out.end());
  return out;
}

void readConf(RootView &root, const std::string &path, int depth, std::vector<std::string> &out) {
  if (depth > kMaxIncludeDepth)
    return;
  std::optional<std::string> resolved = root.resolve(path);
  if (!resolved || root.node(*resolved).kind != NodeKind::File)
    return;
  std::optional<std::string> text = root.contents(*resolved);
  if (!text)
    return;
  for (const LdSoConfLine &line : parseLdSoConf(*text)) {
    if (line.kind == LdSoConfLine::Kind::Directory) {
      if (!line.value.empty() && line.value[0] == '/' &&
          std::find(out.begin(), out.end(), line.value) == out.end())
        out.push_back(line.value);
      continue;
    }
    // ldconfig takes a relative include from the directory of the file that includes it.
    std::string pattern = line.value[0] == '/'
                              ? line.value
                              : (parentOf(path) == "/" ? "" : parentOf(path)) + "/" + line.value;
    for (const std::string &included : expandPattern(root, pattern))
      readConf(root, included, depth + 1, out);
  }
}

} // namespace

std::vector<LdSoConfLine> parseLdSoConf(std::string_view text) {
  std::vector<LdSoConfLine> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    std::vector<std::string> parts = words(line);
    if (parts.empty())
      continue;
    if (parts[0] == "include") {
      for (std::size_t i = 1; i < parts.size(); ++i)
        lines.push_back({LdSoConfLine::Kind::Include, parts[i]});
      continue;
    }
    if (parts[0] == "hwcap")
      continue;
    std::string directory = parts[0];
    if (std::size_t equals = directory.find('='); equals != std::string::npos)
      directory.resize(equals);
    while (directory.size() > 1 && directory.back() == '/')
      directory.pop_back();
    lines.push_back({LdSoConfLine::Kind::Directory, directory});
  }
  return lines;
}

bool globMatches(const std::string &pattern, const std::string &name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

std::vector<std::string> ldSoConfDirectories(RootView &root) {
  std::vector<std::string> out;
  readConf(root, "/etc/ld.so.conf", 0, out);
  return out;
}

} // namespace pkgnote::detail
