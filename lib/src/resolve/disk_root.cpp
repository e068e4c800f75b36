// SPDX-License-Identifier: MIT
// DiskRoot (disk_root.h): the host's system calls on ROOT + path, each answer kept.
#include "resolve/disk_root.h"

#include "support/normal_path.h"

#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pkgnote::detail {

std::string workingDirectory() {
  char cwd[4096];
  return ::getcwd(cwd, sizeof cwd) ? cwd : "/";
}

std::string normalizedAbsolute(const std::string &path, const std::string &cwd) {
  std::string full = path;
  if (full.empty() || full[0] != '/')
    full = (cwd.empty() ? workingDirectory() : cwd) + "/" + path;
  return "/" + normalPath(full);
}

DiskRoot::DiskRoot(std::string root) : root_(std::move(root)), cwd_(workingDirectory()) {
  while (root_.size() > 1 && root_.back() == '/')
    root_.pop_back();
  if (root_ == "/")
    root_.clear();
  absRoot_ = normalizedAbsolute(root_.empty() ? "/" : root_, cwd_);
  if (absRoot_ == "/")
    absRoot_.clear();
}

std::string DiskRoot::host(const std::string &path) const {
  return absRoot_.empty() ? path : absRoot_ + path;
}

std::string DiskRoot::insidePathOf(const std::string &file) const {
  std::string absolute = normalizedAbsolute(file, cwd_); // no getcwd per file of a tree
  if (absRoot_.empty())
    return absolute;
  if (absolute.compare(0, absRoot_.size(), absRoot_) == 0 &&
      (absolute.size() == absRoot_.size() || absolute[absRoot_.size()] == '/'))
    return absolute.size() == absRoot_.size() ? "/" : absolute.substr(absRoot_.size());
  return absolute;
}

std::string DiskRoot::printed(const std::string &path) const { return root_ + path; }

RootNode DiskRoot::node(const std::string &path) {
  auto cached = nodes_.find(path);
  if (cached != nodes_.end())
    return cached->second;
  RootNode found;
  struct stat status;
  std::string where = host(path);
  if (::lstat(where.c_str(), &status) == 0) {
    if (S_ISREG(status.st_mode))
      found.kind = NodeKind::File;
    else if (S_ISDIR(status.st_mode))
      found.kind = NodeKind::Directory;
    else if (S_ISLNK(status.st_mode)) {
      char target[4096];
      ssize_t length = ::readlink(where.c_str(), target, sizeof target);
      if (length > 0) {
        found.kind = NodeKind::Symlink;
        found.target.assign(target, static_cast<std::size_t>(length));
      }
    } else
      found.kind = NodeKind::Other;
  }
  nodes_.emplace(path, found);
  return found;
}

const std::set<std::string> &DiskRoot::names(const std::string &directory) {
  auto [it, inserted] = listings_.try_emplace(directory);
  if (!inserted)
    return it->second;
  if (DIR *dir = ::opendir(host(directory).c_str())) {
    while (const struct dirent *entry = ::readdir(dir))
      if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0)
        it->second.insert(entry->d_name);
    ::closedir(dir);
  }
  return it->second;
}

std::optional<ElfIdentity> DiskRoot::identity(const std::string &path) {
  auto [it, inserted] = identities_.try_emplace(path);
  if (!inserted)
    return it->second;
  int fd = ::open(host(path).c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return std::nullopt;
  unsigned char header[20];
  ssize_t got = ::pread(fd, header, sizeof header, 0);
  ::close(fd);
  if (got != static_cast<ssize_t>(sizeof header) || std::memcmp(header,
                                                                "\x7f"
                                                                "ELF",
                                                                4) != 0)
    return std::nullopt;
  ElfIdentity identity;
  identity.elfClass = header[4];
  identity.elfData = header[5];
  identity.machine = header[5] == 2 ? std::uint16_t(header[18] << 8 | header[19])
                                    : std::uint16_t(header[19] << 8 | header[18]);
  it->second = identity;
  return identity;
}

std::optional<std::string> DiskRoot::contents(const std::string &path) {
  constexpr std::size_t kMax = 1u << 20; // an ld.so.conf is a few lines
  int fd = ::open(host(path).c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return std::nullopt;
  std::string text;
  char buffer[8192];
  ssize_t got;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0 && text.size() < kMax)
    text.append(buffer, static_cast<std::size_t>(got));
  ::close(fd);
  if (got < 0)
    return std::nullopt;
  return text;
}

} // namespace pkgnote::detail
