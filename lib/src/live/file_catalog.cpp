// SPDX-License-Identifier: MIT
// FileCatalog (file_catalog.h): the read-once caches of a `pkgnote ps` run, and the turning of
// the core reader's ImageFacts into the module fields a process record shows.
#include "live/file_catalog.h"

#include "core/core_context.h"
#include "core/core_image.h"

#include "llvm/BinaryFormat/ELF.h"

#include <cerrno>
#include <sys/stat.h>

namespace pkgnote::detail {
namespace {

bool sameNotes(const ModuleReport &a, const ModuleReport &b) {
  if (a.package.has_value() != b.package.has_value() ||
      a.extraPackages.size() != b.extraPackages.size())
    return false;
  if (a.package && a.package->fields != b.package->fields)
    return false;
  for (std::size_t i = 0; i < a.extraPackages.size(); ++i)
    if (a.extraPackages[i].fields != b.extraPackages[i].fields)
      return false;
  return true;
}

} // namespace

// Without a build-id two files cannot be told to be the same build, whatever their notes say
// (a rebuilt library keeps its version): they count as different, as a deleted mapping does for
// needrestart.
bool sameBuild(const ModuleReport &a, const ModuleReport &b) {
  return !a.buildId.empty() && a.buildId == b.buildId && sameNotes(a, b);
}

FileFacts factsOf(llvm::Expected<std::optional<ImageFacts>> image) {
  FileFacts facts;
  if (!image) {
    facts.error = llvm::toString(image.takeError());
    return facts;
  }
  if (!*image)
    return facts; // not ELF
  const ImageFacts &found = **image;
  facts.module = found.type == llvm::ELF::ET_EXEC || found.type == llvm::ELF::ET_DYN;
  facts.machine = found.machine;
  fillFromFacts(facts.report, found);
  facts.problems = found.problems;
  return facts;
}

FileFacts FileCatalog::readFile(const std::string &path) { return factsOf(inspectImageFile(path)); }

const FileFacts *FileCatalog::find(const FileKey &key) const {
  auto it = facts_.find(key);
  return it == facts_.end() ? nullptr : &it->second;
}

const FileFacts &FileCatalog::remember(const FileKey &key, FileFacts facts) {
  return facts_.insert_or_assign(key, std::move(facts)).first->second;
}

const PathState &FileCatalog::stat(const FileKey &root, const std::string &path,
                                   const std::string &lookup) {
  auto [it, inserted] = paths_.try_emplace({root, path});
  if (!inserted)
    return it->second;
  struct stat status;
  if (::stat(lookup.c_str(), &status) != 0) {
    it->second.error = errno;
    return it->second;
  }
  it->second.key = {static_cast<std::uint64_t>(status.st_dev),
                    static_cast<std::uint64_t>(status.st_ino)};
  it->second.regular = S_ISREG(status.st_mode);
  return it->second;
}

} // namespace pkgnote::detail
