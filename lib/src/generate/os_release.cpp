// SPDX-License-Identifier: MIT
// os-release(5) and system-release-cpe, read from a build root. The files use shell syntax
// (quotes, backslash escapes), and in a build root /etc/os-release is often an absolute symlink
// (to /usr/lib/os-release) that must resolve inside the root, not on the build host.
#include "pkgnote/os_release.h"

#include "support/errors.h"

#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pkgnote {
namespace {

bool isKeyChar(char c, bool first) {
  return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (!first && c >= '0' && c <= '9');
}

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Undoes shell quoting of one assignment's right-hand side, starting at TEXT[POS]; stops at the
// end of the line (a quoted value may span lines). Unquoted trailing blanks are dropped.
std::string parseValue(std::string_view text, std::size_t &pos) {
  std::string value;
  std::size_t keep = 0; // length of VALUE that is not unquoted trailing blanks
  enum { Plain, Single, Double } state = Plain;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (state == Plain) {
      if (c == '\n')
        break;
      if (c == '\'') {
        state = Single;
      } else if (c == '"') {
        state = Double;
      } else if (c == '\\' && pos + 1 < text.size()) {
        if (text[++pos] != '\n') // a backslash-newline joins lines
          value += text[pos];
      } else {
        value += c;
        if (!isBlank(c))
          keep = value.size();
        continue;
      }
      keep = value.size();
    } else if (state == Single) {
      if (c == '\'')
        state = Plain;
      else
        value += c;
      keep = value.size();
    } else {
      if (c == '"') {
        state = Plain;
      } else if (c == '\\' && pos + 1 < text.size() &&
                 std::strchr("\"\\`$\n", text[pos + 1]) != nullptr) {
        if (text[++pos] != '\n')
          value += text[pos];
      } else {
        value += c;
      }
      keep = value.size();
    }
  }
  value.resize(keep);
  return value;
}

void skipLine(std::string_view text, std::size_t &pos) {
  while (pos < text.size() && text[pos] != '\n')
    ++pos;
}

using detail::errnoText;
using detail::inputError;
using detail::makeError;

// Joins RELATIVE onto what is already under the root, treating ".." at the root as the root
// itself (as chroot would), so a symlink cannot lead outside it.
void appendComponents(std::vector<std::string> &components, std::string_view relative) {
  while (!relative.empty()) {
    std::size_t slash = relative.find('/');
    std::string_view part = relative.substr(0, slash);
    relative = slash == std::string_view::npos ? std::string_view() : relative.substr(slash + 1);
    if (part.empty() || part == ".")
      continue;
    if (part == "..") {
      if (!components.empty())
        components.pop_back();
      continue;
    }
    components.emplace_back(part);
  }
}

std::string joinUnder(const std::string &root, const std::vector<std::string> &components) {
  std::string path = root;
  for (const std::string &component : components) {
    if (path.empty() || path.back() != '/')
      path += '/';
    path += component;
  }
  return path;
}

// The contents of ROOT/RELATIVE, following symlinks of the last component inside ROOT; nullopt
// when the file does not exist.
llvm::Expected<std::optional<std::string>> readInRoot(const std::string &root,
                                                      std::string_view relative) {
  std::vector<std::string> components;
  appendComponents(components, relative);
  for (int hops = 0; hops < 32; ++hops) {
    std::string path = joinUnder(root, components);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR)
        return std::nullopt;
      return inputError(path, errnoText(errno));
    }
    if (S_ISLNK(st.st_mode)) {
      std::vector<char> target(st.st_size > 0 ? st.st_size + 1 : PATH_MAX);
      ssize_t length = ::readlink(path.c_str(), target.data(), target.size());
      if (length < 0)
        return inputError(path, errnoText(errno));
      std::string_view link(target.data(), static_cast<std::size_t>(length));
      if (!link.empty() && link.front() == '/')
        components.clear();
      else
        components.pop_back();
      appendComponents(components, link);
      continue;
    }
    if (!S_ISREG(st.st_mode))
      return inputError(path, "not a regular file");
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer)
      return inputError(path, errnoText(buffer.getError().value()));
    return std::string((*buffer)->getBuffer());
  }
  return inputError(joinUnder(root, components), "too many levels of symbolic links");
}

std::string firstLineTrimmed(std::string_view text) {
  text = text.substr(0, text.find('\n'));
  while (!text.empty() && isBlank(text.back()))
    text.remove_suffix(1);
  while (!text.empty() && isBlank(text.front()))
    text.remove_prefix(1);
  return std::string(text);
}

llvm::Expected<OsIdentity> readIdentity(const std::string &root) {
  struct stat st;
  if (::stat(root.c_str(), &st) != 0)
    return makeError("root '" + root + "': " + errnoText(errno));
  if (!S_ISDIR(st.st_mode))
    return makeError("root '" + root + "': not a directory");
  if (::access(root.c_str(), R_OK | X_OK) != 0)
    return makeError("root '" + root + "': " + errnoText(errno));

  OsIdentity identity;
  auto cpeFile = readInRoot(root, "usr/lib/system-release-cpe");
  if (!cpeFile)
    return cpeFile.takeError();
  if (*cpeFile) {
    std::string cpe = firstLineTrimmed(**cpeFile);
    if (!cpe.empty()) {
      identity.cpe = cpe;
      identity.cpeSource = joinUnder(root, {"usr", "lib", "system-release-cpe"});
    }
  }
  // os-release(5): /etc/os-release takes precedence; /usr/lib/os-release is the fallback.
  const char *osReleasePath = "etc/os-release";
  auto osRelease = readInRoot(root, osReleasePath);
  if (!osRelease)
    return osRelease.takeError();
  if (!*osRelease) {
    osReleasePath = "usr/lib/os-release";
    osRelease = readInRoot(root, osReleasePath);
    if (!osRelease)
      return osRelease.takeError();
  }
  if (!*osRelease && !*cpeFile)
    return makeError("root '" + root +
                     "': no usr/lib/system-release-cpe, etc/os-release or usr/lib/os-release");
  if (*osRelease) {
    OsRelease fields = parseOsRelease(**osRelease);
    auto get = [&](const char *key) -> std::optional<std::string> {
      auto it = fields.find(key);
      if (it == fields.end() || it->second.empty())
        return std::nullopt;
      return it->second;
    };
    if (!identity.cpe && (identity.cpe = get("CPE_NAME")))
      identity.cpeSource = joinUnder(root, {osReleasePath}) + " (CPE_NAME)";
    identity.id = get("ID");
    identity.versionId = get("VERSION_ID");
  }
  return identity;
}

} // namespace

OsRelease parseOsRelease(std::string_view text) {
  OsRelease result;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (isBlank(text[pos]) || text[pos] == '\n'))
      ++pos;
    std::size_t start = pos;
    while (pos < text.size() && isKeyChar(text[pos], pos == start))
      ++pos;
    std::string key(text.substr(start, pos - start));
    if (key.empty() || pos >= text.size() || text[pos] != '=') {
      skipLine(text, pos); // a comment, or a line that is not an assignment
      continue;
    }
    ++pos;
    result[key] = parseValue(text, pos);
  }
  return result;
}

Result<OsIdentity> readOsIdentity(const std::string &root) {
  llvm::Expected<OsIdentity> identity = readIdentity(root);
  if (!identity)
    return Error{llvm::toString(identity.takeError())};
  return std::move(*identity);
}

} // namespace pkgnote
