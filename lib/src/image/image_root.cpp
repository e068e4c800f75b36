// SPDX-License-Identifier: MIT
// ImageRoot (image_root.h). A layer's tar need not hold an entry for every directory: a path
// that only prefixes others ("usr" of "usr/lib/x") is a directory all the same, as umoci unpack
// makes it.
#include "image/image_root.h"

namespace pkgnote::detail {
namespace {

// "/usr/lib" -> "usr/lib"; "/" -> "".
std::string relative(const std::string &path) {
  std::size_t start = path.find_first_not_of('/');
  return start == std::string::npos ? std::string() : path.substr(start);
}

} // namespace

std::optional<FinalNode> ImageRoot::find(const std::string &path) const {
  return tree_.find(relative(path));
}

RootNode ImageRoot::node(const std::string &path) {
  std::string key = relative(path);
  if (key.empty())
    return RootNode{NodeKind::Directory, {}};
  if (std::optional<FinalNode> found = find(path)) {
    switch (found->kind) {
    case EntryKind::File:
      return RootNode{NodeKind::File, {}};
    case EntryKind::Directory:
      return RootNode{NodeKind::Directory, {}};
    case EntryKind::Symlink:
      return RootNode{NodeKind::Symlink, found->content ? found->content->target : ""};
    default:
      return RootNode{NodeKind::Other, {}};
    }
  }
  if (tree_.hasUnder(key))
    return RootNode{NodeKind::Directory, {}};
  return RootNode{};
}

const std::set<std::string> &ImageRoot::names(const std::string &directory) {
  auto [it, inserted] = listings_.try_emplace(directory);
  if (!inserted)
    return it->second;
  it->second = tree_.names(relative(directory));
  return it->second;
}

std::optional<ElfIdentity> ImageRoot::identity(const std::string &path) {
  std::optional<FinalNode> found = find(path);
  if (!found || found->kind != EntryKind::File || !found->content || !found->content->report)
    return std::nullopt;
  const FileReport &report = *found->content->report;
  return ElfIdentity{report.elfClass, report.elfData, report.machine};
}

std::optional<std::string> ImageRoot::contents(const std::string &path) {
  std::optional<FinalNode> found = find(path);
  if (!found || found->kind != EntryKind::File || !found->content)
    return std::nullopt;
  return found->content->contents;
}

} // namespace pkgnote::detail
