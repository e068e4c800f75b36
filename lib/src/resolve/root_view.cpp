// SPDX-License-Identifier: MIT
// Symbolic links followed with the root as "/": an absolute target starts again from the root,
// and ".." at the root stays there, as in a chroot. A link that would escape (say
// "../../../../etc/x" or an absolute path of the host) is read as a path inside the root.
#include "resolve/root_view.h"

#include <deque>
#include <vector>

namespace pkgnote::detail {
namespace {

constexpr int kMaxLinks = 40; // the kernel's MAXSYMLINKS

void pushComponents(const std::string &path, std::deque<std::string> &queue, bool front) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t slash = path.find('/', at);
    if (slash == std::string::npos)
      slash = path.size();
    if (slash > at)
      parts.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  if (front)
    queue.insert(queue.begin(), parts.begin(), parts.end());
  else
    queue.insert(queue.end(), parts.begin(), parts.end());
}

} // namespace

std::string parentOf(const std::string &path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0)
    return "/";
  return path.substr(0, slash);
}

std::optional<std::string> RootView::resolve(const std::string &path) {
  auto cached = resolved_.find(path);
  if (cached != resolved_.end())
    return cached->second;
  std::deque<std::string> queue;
  pushComponents(path, queue, false);
  std::string current; // "" is the root
  int links = 0;
  std::optional<std::string> result;
  for (;;) {
    if (queue.empty()) {
      result = current.empty() ? "/" : current;
      break;
    }
    std::string component = std::move(queue.front());
    queue.pop_front();
    if (component == ".")
      continue;
    if (component == "..") {
      current = current.empty() ? "" : parentOf(current);
      if (current == "/")
        current.clear();
      continue;
    }
    std::string next = current + "/" + component;
    RootNode found = node(next);
    if (found.kind == NodeKind::Missing)
      break;
    if (found.kind == NodeKind::Symlink) {
      if (++links > kMaxLinks)
        break;
      if (!found.target.empty() && found.target[0] == '/')
        current.clear();
      pushComponents(found.target, queue, true);
      continue;
    }
    if (found.kind != NodeKind::Directory && !queue.empty())
      break; // a file in the middle of a path (ENOTDIR)
    current = std::move(next);
  }
  resolved_.emplace(path, result);
  return result;
}

} // namespace pkgnote::detail
