// SPDX-License-Identifier: MIT
// Which registration the kernel would pick for a file: fs/binfmt_misc.c's check_file() over the
// first 256 bytes of the file (zero-filled past its end, as the kernel's buffer is), in the order
// the kernel tries them: the most recently registered entry first.
#include "pkgnote/binfmt.h"

#include "binfmt/binfmt_internal.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <unistd.h>

namespace pkgnote {
namespace {

constexpr std::size_t kBinprmBufSize = 256;

Result<std::vector<std::uint8_t>> readHead(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return binfmt_detail::inputProblem(path, binfmt_detail::errnoText(errno));
  std::vector<std::uint8_t> head(kBinprmBufSize, 0);
  std::size_t filled = 0;
  while (filled < head.size()) {
    ssize_t got = ::read(fd, head.data() + filled, head.size() - filled);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      int saved = errno;
      ::close(fd);
      return binfmt_detail::inputProblem(path, binfmt_detail::errnoText(saved));
    }
    if (got == 0)
      break;
    filled += static_cast<std::size_t>(got);
  }
  ::close(fd);
  return head;
}

} // namespace

bool binfmtMatches(const BinfmtEntry &entry, const std::vector<std::uint8_t> &head,
                   std::string_view path) {
  if (entry.byExtension) {
    auto dot = path.rfind('.');
    return dot != std::string_view::npos && path.substr(dot + 1) == entry.extension;
  }
  if (entry.offset > head.size() || head.size() - entry.offset < entry.magic.size())
    return false;
  for (std::size_t i = 0; i < entry.magic.size(); ++i) {
    std::uint8_t mask = entry.mask.empty() ? 0xff : entry.mask[i];
    if ((head[entry.offset + i] ^ entry.magic[i]) & mask)
      return false;
  }
  return true;
}

Result<std::vector<const BinfmtRegistration *>> whichBinfmt(const BinfmtListing &listing,
                                                            const std::string &path) {
  auto head = readHead(path);
  if (!head)
    return head.error();
  std::vector<const BinfmtRegistration *> registered;
  if (listing.kernelMounted) {
    // The live table is the truth; /proc does not tell the registration order, so entries are
    // tried in name order.
    for (const auto &registration : listing.registrations)
      if (registration.entry.source == BinfmtSource::Kernel && registration.entry.enabled)
        registered.push_back(&registration);
  } else {
    // What boot would register: systemd-binfmt first, then binfmt-support, whose registration of
    // a name already taken fails (EEXIST); the kernel then tries the newest entry first.
    std::set<std::string> names;
    for (BinfmtSource source : {BinfmtSource::BinfmtD, BinfmtSource::BinfmtSupport})
      for (const auto &registration : listing.registrations)
        if (registration.entry.source == source && names.insert(registration.entry.name).second)
          registered.push_back(&registration);
    std::reverse(registered.begin(), registered.end());
  }
  std::vector<const BinfmtRegistration *> matches;
  for (const auto *registration : registered)
    if (binfmtMatches(registration->entry, *head, path))
      matches.push_back(registration);
  return matches;
}

} // namespace pkgnote
