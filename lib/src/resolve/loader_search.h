// SPDX-License-Identifier: MIT
// glibc's search for a DT_NEEDED name (elf/dl-load.c, _dl_map_object), inside a root: a name with
// a '/' is a path; otherwise DT_RPATH when there is no DT_RUNPATH, (never LD_LIBRARY_PATH),
// DT_RUNPATH, then, standing for ld.so.cache, the directories of the root's ld.so.conf, then the
// default directories. A candidate of another class, byte order or machine is skipped, as ld.so
// skips it. What a search found is kept for the run: a tree's files mostly need the same few
// libraries from the same directories.
#pragma once

#include "pkgnote/elf_report.h"
#include "resolve/root_view.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace pkgnote::detail {

class LoaderSearch {
public:
  explicit LoaderSearch(RootView &root) : root_(root) {}

  // Fills REPORT.dependencies->resolved for the file at PATH inside the root (its $ORIGIN is
  // PATH's directory, symbolic links resolved). Nothing for a report without dependencies.
  void resolve(const std::string &path, FileReport &report);

  // Where SONAME is found for a file of IDENTITY whose search starts with DIRECTORIES (its
  // expanded DT_RPATH or DT_RUNPATH): the resolved path inside the root, or std::nullopt.
  std::optional<std::string> find(const std::string &soname, const ElfIdentity &identity,
                                  const std::vector<std::string> &directories);

private:
  // SONAME in DIRECTORY, if it is there and a library ld.so would take for IDENTITY.
  std::optional<std::string> lookIn(const std::string &directory, const std::string &soname,
                                    const ElfIdentity &identity);
  const std::vector<std::string> &systemDirectories(const ElfIdentity &identity);
  std::string libToken(const ElfIdentity &identity);

  RootView &root_;
  std::optional<std::vector<std::string>> conf_; // ld.so.conf's directories, read once
  std::map<std::tuple<unsigned char, unsigned char, std::uint16_t>, std::vector<std::string>>
      system_;
  std::map<std::tuple<std::string, std::string, unsigned char, unsigned char, std::uint16_t>,
           std::optional<std::string>>
      found_;
  // The system search's answer per soname and identity: most files of a tree need the same few
  // libraries, found after the same misses in the same directories.
  std::unordered_map<std::string, std::optional<std::string>> systemFound_;
};

} // namespace pkgnote::detail
