// SPDX-License-Identifier: MIT
// Atomic output: the contents go to a uniquely named temporary file in the target's directory
// (same file system, so rename(2) is atomic), which replaces the target only once it is complete.
// On any failure the temporary file is removed and an existing target is left untouched.
//
// mkstemp(3) rather than llvm::sys::fs::TempFile: TempFile treats every '%' in the whole path as
// a placeholder, so an output path such as "out 100%/note.ld" (RPM macros, make patterns) would
// be mangled; mkstemp replaces only the trailing XXXXXX that we append.
#include "pkgnote/atomic_file.h"

#include "support/errors.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pkgnote {
namespace {

using detail::errnoText;
using detail::inputProblem;

Error fileError(const std::string &path, const std::string &problem, int errnum) {
  return inputProblem(path, problem + ": " + errnoText(errnum));
}

// Writes all of CONTENTS to FD; 0 or the errno of the failure.
int writeAll(int fd, std::string_view contents) {
  while (!contents.empty()) {
    ssize_t written = ::write(fd, contents.data(), contents.size());
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    contents.remove_prefix(static_cast<std::size_t>(written));
  }
  return 0;
}

// The mode a newly created file gets: 0666 minus the umask (mkstemp creates 0600).
mode_t newFileMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

// Gives the complete temporary file TEMP one more name beside each of HARDLINKS (NAME plus
// TEMP's random suffix, and a counter while that is taken), listed in LINKTEMPS as made.
FillFailure linkTemporaries(const std::string &temp, const std::vector<std::string> &hardLinks,
                            std::vector<std::string> &linkTemps) {
  std::string suffix = temp.substr(temp.size() - 6);
  for (const std::string &link : hardLinks) {
    for (unsigned attempt = 0;; ++attempt) {
      std::string name = link + ".pkgnote-tmp-" + suffix + (attempt ? std::to_string(attempt) : "");
      if (::link(temp.c_str(), name.c_str()) == 0) {
        linkTemps.push_back(name);
        break;
      }
      if (errno != EEXIST || attempt == 100)
        return FillFailure{errno, "cannot prepare hard link '" + link + "'"};
    }
  }
  return FillFailure{};
}

// Renames each of LINKTEMPS over its name in HARDLINKS, once PATH has been replaced: each is
// tried, and the first failure is reported.
Status replaceHardLinks(const std::string &path, const std::vector<std::string> &hardLinks,
                        const std::vector<std::string> &linkTemps) {
  Status status = ok();
  for (std::size_t i = 0; i < linkTemps.size(); ++i) {
    if (::rename(linkTemps[i].c_str(), hardLinks[i].c_str()) == 0)
      continue;
    int errnum = errno;
    ::unlink(linkTemps[i].c_str());
    if (status)
      status = fileError(hardLinks[i], "cannot replace (hard link of '" + path + "')", errnum);
  }
  return status;
}

} // namespace

Status writeFileAtomically(const std::string &path, std::string_view contents) {
  return writeFileAtomically(path, [contents](int fd) {
    if (int errnum = writeAll(fd, contents))
      return FillFailure{errnum, "cannot write"};
    if (::fchmod(fd, newFileMode()) != 0)
      return FillFailure{errno, "cannot set mode"};
    return FillFailure{};
  });
}

Status writeFileAtomically(const std::string &path,
                           const std::function<FillFailure(int fd)> &fill) {
  return writeFileAtomically(path, fill, {});
}

Status writeFileAtomically(const std::string &path, const std::function<FillFailure(int fd)> &fill,
                           const std::vector<std::string> &hardLinks) {
  std::string pattern = path + ".pkgnote-tmp-XXXXXX";
  std::vector<char> tempName(pattern.begin(), pattern.end());
  tempName.push_back('\0');
  int fd = ::mkostemp(tempName.data(), O_CLOEXEC);
  if (fd < 0)
    return fileError(path, "cannot create temporary file", errno);

  FillFailure failure = fill(fd);
  if (::close(fd) != 0 && failure.errnum == 0)
    failure = FillFailure{errno, "cannot close"};
  std::vector<std::string> linkTemps;
  if (failure.errnum == 0)
    failure = linkTemporaries(tempName.data(), hardLinks, linkTemps);
  if (failure.errnum == 0 && ::rename(tempName.data(), path.c_str()) != 0)
    failure = FillFailure{errno, "cannot replace"};
  if (failure.errnum != 0) {
    ::unlink(tempName.data());
    for (const std::string &linkTemp : linkTemps)
      ::unlink(linkTemp.c_str());
    return fileError(path, failure.problem, failure.errnum);
  }
  return replaceHardLinks(path, hardLinks, linkTemps);
}

} // namespace pkgnote
