// SPDX-License-Identifier: MIT
// An image's final filesystem as a RootView (resolve/root_view.h), so that `read --deps` resolves
// an image's libraries inside the image, by the loader's rules, as it resolves a tree's inside
// --root: a whited-out library is not there, a symbolic link is followed inside the image, and a
// candidate's class and machine come from its report, read in the same scan.
#pragma once

#include "image/overlay.h"
#include "resolve/root_view.h"

#include <set>
#include <string>
#include <unordered_map>

namespace pkgnote::detail {

class ImageRoot final : public RootView {
public:
  explicit ImageRoot(const FinalTree &tree) : tree_(tree) {}

  RootNode node(const std::string &path) override;
  const std::set<std::string> &names(const std::string &directory) override;
  std::optional<ElfIdentity> identity(const std::string &path) override;
  std::optional<std::string> contents(const std::string &path) override;
  std::string printed(const std::string &path) const override { return path; }

private:
  std::optional<FinalNode> find(const std::string &path) const;

  const FinalTree &tree_;
  std::unordered_map<std::string, std::set<std::string>> listings_;
};

} // namespace pkgnote::detail
