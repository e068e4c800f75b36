// SPDX-License-Identifier: MIT
// copyExtendedAttributes (file_attributes.h) with the raw xattr system calls: a POSIX ACL travels
// as the bytes of its system.posix_acl_access attribute, so no libacl is needed. What a caller
// may not see it cannot copy: trusted.* is listed to root only, so an unprivileged caller's copy
// has none (docs/stamp.md says so).
#include "io/file_attributes.h"

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <sys/xattr.h>
#include <vector>

namespace pkgnote::detail {
namespace {

// The names of FD's extended attributes into NAMES; 0 or the errno. A file system without
// extended attributes has none.
int listNames(int fd, std::vector<std::string> &names) {
  names.clear();
  for (;;) {
    ssize_t size = ::flistxattr(fd, nullptr, 0);
    if (size < 0)
      return errno == EOPNOTSUPP ? 0 : errno;
    std::vector<char> buffer(static_cast<std::size_t>(size));
    ssize_t got = size ? ::flistxattr(fd, buffer.data(), buffer.size()) : 0;
    if (got < 0 && errno == ERANGE)
      continue; // an attribute was added meanwhile
    if (got < 0)
      return errno;
    for (std::size_t at = 0; at < static_cast<std::size_t>(got);) {
      std::size_t length = ::strnlen(buffer.data() + at, static_cast<std::size_t>(got) - at);
      names.emplace_back(buffer.data() + at, length);
      at += length + 1;
    }
    return 0;
  }
}

// The value of FD's attribute NAME into VALUE (std::nullopt when it has none); 0 or the errno.
int readValue(int fd, const std::string &name, std::optional<std::string> &value) {
  value.reset();
  for (;;) {
    ssize_t size = ::fgetxattr(fd, name.c_str(), nullptr, 0);
    if (size < 0)
      return errno == ENODATA ? 0 : errno;
    std::string buffer(static_cast<std::size_t>(size), '\0');
    ssize_t got = size ? ::fgetxattr(fd, name.c_str(), buffer.data(), buffer.size()) : 0;
    if (got < 0 && errno == ERANGE)
      continue; // the value grew meanwhile
    if (got < 0)
      return errno == ENODATA ? 0 : errno;
    buffer.resize(static_cast<std::size_t>(got));
    value = std::move(buffer);
    return 0;
  }
}

// Gives TO the value FROM has for NAME, unless it has it already (the label a new file gets in
// that directory, say): then nothing is set, and no privilege is needed.
FillFailure keepAttribute(int from, int to, const std::string &name) {
  std::optional<std::string> wanted, present;
  if (int errnum = readValue(from, name, wanted))
    return FillFailure{errnum, "cannot read extended attribute " + name};
  if (!wanted)
    return FillFailure{}; // removed since it was listed
  if (int errnum = readValue(to, name, present))
    return FillFailure{errnum, "cannot keep extended attribute " + name};
  if (present == wanted)
    return FillFailure{};
  if (::fsetxattr(to, name.c_str(), wanted->data(), wanted->size(), 0) != 0)
    return FillFailure{errno, "cannot keep extended attribute " + name};
  return FillFailure{};
}

bool contains(const std::vector<std::string> &names, const std::string &name) {
  for (const std::string &each : names)
    if (each == name)
      return true;
  return false;
}

} // namespace

FillFailure copyExtendedAttributes(int from, int to) {
  std::vector<std::string> wanted, present;
  if (int errnum = listNames(from, wanted))
    return FillFailure{errnum, "cannot list extended attributes"};
  if (int errnum = listNames(to, present))
    return FillFailure{errnum, "cannot list extended attributes"};
  for (const std::string &name : present)
    if (!contains(wanted, name) && ::fremovexattr(to, name.c_str()) != 0 && errno != ENODATA)
      return FillFailure{errno, "cannot drop extended attribute " + name + " the new file got"};
  for (const std::string &name : wanted)
    if (FillFailure failure = keepAttribute(from, to, name); failure.errnum)
      return failure;
  return FillFailure{};
}

std::string attributeBoundToBytes(int fd) {
  std::vector<std::string> names;
  if (listNames(fd, names) != 0)
    return {}; // copyExtendedAttributes reports it
  for (const char *bound : {"security.ima", "security.evm"})
    if (contains(names, bound))
      return bound;
  return {};
}

} // namespace pkgnote::detail
