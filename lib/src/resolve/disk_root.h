// SPDX-License-Identifier: MIT
// A RootView over a directory on disk (`read --root DIR`, "/" by default): every answer is
// cached for the run (lstat, directory listings, ELF identities), so that resolving the
// libraries of a whole tree costs a listing per searched directory and a header read per
// candidate library, not a system call per file and directory searched.
#pragma once

#include "resolve/root_view.h"

#include <map>
#include <string>
#include <unordered_map>

namespace pkgnote::detail {

class DiskRoot final : public RootView {
public:
  // ROOT as the user gave it ("/", "tree", "tree/").
  explicit DiskRoot(std::string root);

  RootNode node(const std::string &path) override;
  const std::set<std::string> &names(const std::string &directory) override;
  std::optional<ElfIdentity> identity(const std::string &path) override;
  std::optional<std::string> contents(const std::string &path) override;
  std::string printed(const std::string &path) const override;

  // The path inside the root of FILE, a path of the host as given on the command line: relative
  // to the root when it lies under it ("tree/usr/bin/x" -> "/usr/bin/x" for root "tree"), else
  // its absolute path.
  std::string insidePathOf(const std::string &file) const;

private:
  std::string host(const std::string &path) const;

  std::string root_;    // as given, without trailing slashes; "" for "/"
  std::string absRoot_; // absolute and normalised, "" for "/"
  std::string cwd_;     // the working directory when the run started
  std::unordered_map<std::string, RootNode> nodes_;
  std::unordered_map<std::string, std::set<std::string>> listings_;
  std::unordered_map<std::string, std::optional<ElfIdentity>> identities_;
};

// PATH made absolute (against CWD, or the working directory when CWD is empty) with ".", ".."
// and repeated slashes removed lexically.
std::string normalizedAbsolute(const std::string &path, const std::string &cwd = {});

// getcwd(3), "/" when it fails.
std::string workingDirectory();

} // namespace pkgnote::detail
