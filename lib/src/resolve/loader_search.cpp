// SPDX-License-Identifier: MIT
// LoaderSearch (loader_search.h).
#include "resolve/loader_search.h"

#include "resolve/ld_so_conf.h"
#include "resolve/search_path.h"

#include <algorithm>

namespace pkgnote::detail {
namespace {

ElfIdentity identityOf(const FileReport &report) {
  return ElfIdentity{report.elfClass, report.elfData, report.machine};
}

} // namespace

std::string LoaderSearch::libToken(const ElfIdentity &identity) {
  // Debian builds glibc with $LIB = lib/TUPLE; lib64 distributions with lib64 (64-bit) or lib.
  std::string tuple = multiarchTuple(identity);
  if (!tuple.empty()) {
    std::optional<std::string> directory = root_.resolve("/usr/lib/" + tuple);
    if (directory && root_.node(*directory).kind == NodeKind::Directory)
      return "lib/" + tuple;
  }
  return identity.elfClass == 2 ? "lib64" : "lib";
}

const std::vector<std::string> &LoaderSearch::systemDirectories(const ElfIdentity &identity) {
  auto key = std::make_tuple(identity.elfClass, identity.elfData, identity.machine);
  auto cached = system_.find(key);
  if (cached != system_.end())
    return cached->second;
  if (!conf_)
    conf_ = ldSoConfDirectories(root_);
  std::vector<std::string> directories = *conf_;
  for (std::string &directory : defaultDirectories(identity))
    if (std::find(directories.begin(), directories.end(), directory) == directories.end())
      directories.push_back(std::move(directory));
  return system_.emplace(key, std::move(directories)).first->second;
}

std::optional<std::string> LoaderSearch::lookIn(const std::string &directory,
                                                const std::string &soname,
                                                const ElfIdentity &identity) {
  auto key =
      std::make_tuple(directory, soname, identity.elfClass, identity.elfData, identity.machine);
  auto cached = found_.find(key);
  if (cached != found_.end())
    return cached->second;
  std::optional<std::string> result;
  std::optional<std::string> where = root_.resolve(directory);
  // The listing answers "not here" for most directories without a system call per name.
  if (where && root_.names(*where).count(soname)) {
    std::optional<std::string> path = root_.resolve((*where == "/" ? "" : *where) + "/" + soname);
    if (path && root_.node(*path).kind == NodeKind::File) {
      std::optional<ElfIdentity> candidate = root_.identity(*path);
      if (candidate && *candidate == identity)
        result = path;
    }
  }
  found_.emplace(key, result);
  return result;
}

std::optional<std::string> LoaderSearch::find(const std::string &soname,
                                              const ElfIdentity &identity,
                                              const std::vector<std::string> &directories) {
  if (soname.find('/') != std::string::npos) {
    // A name with a slash is opened as it is (relative to a working directory: not known here).
    if (soname[0] != '/')
      return std::nullopt;
    std::optional<std::string> path = root_.resolve(soname);
    if (!path || root_.node(*path).kind != NodeKind::File)
      return std::nullopt;
    std::optional<ElfIdentity> candidate = root_.identity(*path);
    return candidate && *candidate == identity ? path : std::nullopt;
  }
  for (const std::string &directory : directories)
    if (std::optional<std::string> path = lookIn(directory, soname, identity))
      return path;
  std::string key = soname;
  key += '\0';
  key += static_cast<char>(identity.elfClass);
  key += static_cast<char>(identity.elfData);
  key += static_cast<char>(identity.machine & 0xff);
  key += static_cast<char>(identity.machine >> 8);
  auto [cached, inserted] = systemFound_.try_emplace(std::move(key));
  if (inserted)
    for (const std::string &directory : systemDirectories(identity))
      if ((cached->second = lookIn(directory, soname, identity)))
        break;
  return cached->second;
}

void LoaderSearch::resolve(const std::string &path, FileReport &report) {
  if (!report.dependencies)
    return;
  Dependencies &dependencies = *report.dependencies;
  ElfIdentity identity = identityOf(report);
  TokenValues tokens;
  std::optional<std::string> origin = root_.resolve(parentOf(path));
  tokens.origin = origin.value_or(parentOf(path));
  tokens.platform = platformOf(identity);
  if (dependencies.runpath || dependencies.rpath)
    tokens.lib = libToken(identity); // a resolve() of one directory, cached
  // DT_RPATH counts only when there is no DT_RUNPATH (and then comes before the system paths).
  std::vector<std::string> directories;
  if (dependencies.runpath)
    directories = expandSearchPath(*dependencies.runpath, tokens);
  else if (dependencies.rpath)
    directories = expandSearchPath(*dependencies.rpath, tokens);
  // A dlopen() from the file searches its DT_RUNPATH as a DT_NEEDED does.
  std::vector<std::string> sonames = dependencies.needed;
  for (const DlopenEntry &entry : dependencies.dlopen)
    sonames.insert(sonames.end(), entry.sonames.begin(), entry.sonames.end());
  dependencies.resolved.clear();
  for (const std::string &soname : sonames) {
    bool seen = std::any_of(dependencies.resolved.begin(), dependencies.resolved.end(),
                            [&](const auto &entry) { return entry.first == soname; });
    if (seen)
      continue;
    std::optional<std::string> found = find(soname, identity, directories);
    dependencies.resolved.emplace_back(soname,
                                       found ? std::optional(root_.printed(*found)) : std::nullopt);
  }
  dependencies.isResolved = true;
}

} // namespace pkgnote::detail
