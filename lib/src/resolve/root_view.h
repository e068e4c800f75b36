// SPDX-License-Identifier: MIT
// A filesystem seen from inside a root, as a chrooted loader would see it: a directory on disk
// (`--root`) or a container image's final filesystem. The loader resolution (loader_search.h)
// asks only these questions of it, so both kinds of root are searched by the same code. Paths
// are absolute inside the root ("/usr/lib/libc.so.6"); symbolic links are resolved here with
// the root as "/", so that a link never leads out of the root.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace pkgnote::detail {

enum class NodeKind { Missing, File, Directory, Symlink, Other };

struct RootNode {
  NodeKind kind = NodeKind::Missing;
  std::string target; // Symlink: what it points to, as written
};

// What the loader checks of a candidate before taking it (class, byte order, machine).
struct ElfIdentity {
  unsigned char elfClass = 0, elfData = 0;
  std::uint16_t machine = 0;
  bool operator==(const ElfIdentity &other) const {
    return elfClass == other.elfClass && elfData == other.elfData && machine == other.machine;
  }
};

class RootView {
public:
  virtual ~RootView() = default;

  // The node at PATH, its last component not followed (lstat); PATH's parents are resolved.
  virtual RootNode node(const std::string &path) = 0;
  // The names in the directory PATH (resolved); empty when it cannot be listed.
  virtual const std::set<std::string> &names(const std::string &directory) = 0;
  // The identity of the regular file at PATH (resolved), std::nullopt when it is not ELF.
  virtual std::optional<ElfIdentity> identity(const std::string &path) = 0;
  // The bytes of the small regular file at PATH (resolved): ld.so.conf and its includes.
  virtual std::optional<std::string> contents(const std::string &path) = 0;
  // PATH (resolved) as pkgnote prints the path of a file it read there.
  virtual std::string printed(const std::string &path) const = 0;

  // PATH with every symbolic link followed inside the root ("/.." is "/"), "." and ".." and
  // repeated slashes gone; std::nullopt when a component is missing, a non-directory has
  // components after it, or links nest more than 40 deep (ELOOP). Cached per PATH.
  std::optional<std::string> resolve(const std::string &path);

private:
  std::unordered_map<std::string, std::optional<std::string>> resolved_;
};

// "/a/b/c" -> "/a/b"; "/a" -> "/".
std::string parentOf(const std::string &path);

} // namespace pkgnote::detail
