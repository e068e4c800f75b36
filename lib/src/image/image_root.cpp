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

const FinalNode *ImageRoot::find(const std::string &path) const {
  auto found = tree_.find(relative(path));
  return found == tree_.end() ? nullptr : &found->second;
}

RootNode ImageRoot::node(const std::string &path) {
  std::string key = relative(path);
  if (key.empty())
    return RootNode{NodeKind::Directory, {}};
  if (const FinalNode *found = find(path)) {
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
  std::string prefix = key + "/";
  auto next = tree_.lower_bound(prefix);
  if (next != tree_.end() && next->first.compare(0, prefix.size(), prefix) == 0)
    return RootNode{NodeKind::Directory, {}};
  return RootNode{};
}

const std::set<std::string> &ImageRoot::names(const std::string &directory) {
  auto [it, inserted] = listings_.try_emplace(directory);
  if (!inserted)
    return it->second;
  std::string key = relative(directory);
  std::string prefix = key.empty() ? "" : key + "/";
  for (auto entry = tree_.lower_bound(prefix);
       entry != tree_.end() && entry->first.compare(0, prefix.size(), prefix) == 0; ++entry) {
    std::string rest = entry->first.substr(prefix.size());
    if (!rest.empty())
      it->second.insert(rest.substr(0, rest.find('/')));
  }
  return it->second;
}

std::optional<ElfIdentity> ImageRoot::identity(const std::string &path) {
  const FinalNode *found = find(path);
  if (!found || found->kind != EntryKind::File || !found->content || !found->content->report)
    return std::nullopt;
  const FileReport &report = *found->content->report;
  return ElfIdentity{report.elfClass, report.elfData, report.machine};
}

std::optional<std::string> ImageRoot::contents(const std::string &path) {
  const FinalNode *found = find(path);
  if (!found || found->kind != EntryKind::File || !found->content)
    return std::nullopt;
  return found->content->contents;
}

} // namespace pkgnote::detail
