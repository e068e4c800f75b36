// SPDX-License-Identifier: MIT
// stampFile: plans with pread over the input (only headers and the first segment's front are
// read), then writes the result as a copy of the input (copy_file_range, else a 1 MiB buffer:
// the file is never held whole) with the plan's patches written over it, into a temporary file
// in the target's directory that replaces the target only once complete. In place, the copy gets
// the input's owner, then its extended attributes (fchown clears security.capability), then its
// mode (fchown clears setuid bits; an ACL set before it would otherwise redefine the group bits),
// and the other names of the input's file are replaced too (stamp_links.cpp).
#include "pkgnote/stamp.h"

#include "io/byte_source.h"
#include "io/file_attributes.h"
#include "io/owned_fd.h"
#include "pkgnote/atomic_file.h"
#include "stamp_links.h"
#include "support/errors.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace pkgnote {
namespace {

constexpr std::size_t kCopyChunk = 1u << 20;

Error fileError(const std::string &path, const std::string &problem, int errnum) {
  return detail::inputProblem(path, problem + ": " + detail::errnoText(errnum));
}

bool preadAll(int fd, std::uint64_t offset, std::size_t size, std::uint8_t *out) {
  while (size) {
    ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return false;
    out += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

int pwriteAll(int fd, std::uint64_t offset, const std::uint8_t *data, std::size_t size) {
  while (size) {
    ssize_t put = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (put < 0 && errno == EINTR)
      continue;
    if (put < 0)
      return errno;
    data += put;
    size -= static_cast<std::size_t>(put);
    offset += static_cast<std::uint64_t>(put);
  }
  return 0;
}

// Copies SIZE bytes of IN to OUT: in the kernel when it can, else through a 1 MiB buffer.
int copyFile(int in, int out, std::uint64_t size) {
  loff_t inAt = 0, outAt = 0;
  bool kernel = true;
  while (kernel && static_cast<std::uint64_t>(inAt) < size) {
    std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(size - static_cast<std::uint64_t>(inAt), 1u << 30));
    ssize_t copied = ::copy_file_range(in, &inAt, out, &outAt, want, 0);
    if (copied < 0 && errno == EINTR)
      continue;
    if (copied < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
                       errno == EOPNOTSUPP || errno == EPERM))
      kernel = false;
    else if (copied < 0)
      return errno;
    else if (copied == 0)
      return EIO; // the input shrank while it was copied
  }
  std::vector<std::uint8_t> buffer;
  while (static_cast<std::uint64_t>(inAt) < size) {
    buffer.resize(kCopyChunk);
    std::size_t want = static_cast<std::size_t>(
        std::min<std::uint64_t>(size - static_cast<std::uint64_t>(inAt), kCopyChunk));
    if (!preadAll(in, static_cast<std::uint64_t>(inAt), want, buffer.data()))
      return errno ? errno : EIO;
    if (int error = pwriteAll(out, static_cast<std::uint64_t>(outAt), buffer.data(), want))
      return error;
    inAt += static_cast<loff_t>(want);
    outAt += static_cast<loff_t>(want);
  }
  return 0;
}

// Whether the plan would write exactly the bytes FD already holds.
bool planChangesNothing(int fd, std::uint64_t size, const StampPlan &plan) {
  if (plan.newSize != size)
    return false;
  std::vector<std::uint8_t> current;
  for (const StampPatch &patch : plan.patches) {
    current.resize(patch.bytes.size());
    if (patch.offset + patch.bytes.size() > size ||
        !preadAll(fd, patch.offset, current.size(), current.data()) || current != patch.bytes)
      return false;
  }
  return true;
}

// Writes the stamped copy of IN (described by INFO) to TARGET and HARDLINKS through a temporary
// file.
Status writeStamped(int in, const struct stat &info, const StampPlan &plan,
                    const std::string &target, bool inPlace,
                    const std::vector<std::string> &hardLinks) {
  auto fill = [&](int out) {
    if (int errnum = copyFile(in, out, static_cast<std::uint64_t>(info.st_size)))
      return FillFailure{errnum, "cannot write"};
    for (const StampPatch &patch : plan.patches)
      if (int errnum = pwriteAll(out, patch.offset, patch.bytes.data(), patch.bytes.size()))
        return FillFailure{errnum, "cannot write"};
    if (::ftruncate(out, static_cast<off_t>(plan.newSize)) != 0)
      return FillFailure{errno, "cannot write"};
    if (inPlace && ::fchown(out, info.st_uid, info.st_gid) != 0)
      return FillFailure{errno, "cannot keep the owner"};
    if (inPlace)
      if (FillFailure failure = detail::copyExtendedAttributes(in, out); failure.errnum)
        return failure;
    if (::fchmod(out, info.st_mode & (inPlace ? 07777 : 0777)) != 0)
      return FillFailure{errno, "cannot keep the mode"};
    return FillFailure{};
  };
  return writeFileAtomically(target, fill, hardLinks);
}

const char *fileKind(mode_t mode) {
  switch (mode & S_IFMT) {
  case S_IFDIR:
    return "a directory";
  case S_IFIFO:
    return "a FIFO";
  case S_IFCHR:
    return "a character device";
  case S_IFBLK:
    return "a block device";
  case S_IFSOCK:
    return "a socket";
  default:
    return "not a regular file";
  }
}

Error notRegular(const std::string &path, mode_t mode) {
  return detail::inputProblem(path, std::string("not a regular file (") + fileKind(mode) + ")");
}

// Opens PATH for reading into FD and INFO, refusing at once what is not a regular file: stat
// first, because open(2) waits on a FIFO for a writer and acts on some devices (a tape rewinds);
// then O_NONBLOCK and fstat, for a name swapped meanwhile.
Status openRegularFile(const std::string &path, int &fd, struct stat &info) {
  if (::stat(path.c_str(), &info) != 0)
    return fileError(path, "cannot open", errno);
  if (!S_ISREG(info.st_mode))
    return notRegular(path, info.st_mode);
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return fileError(path, "cannot open", errno);
  if (::fstat(fd, &info) != 0)
    return fileError(path, "cannot stat", errno);
  if (!S_ISREG(info.st_mode))
    return notRegular(path, info.st_mode);
  return ok();
}

// PATH's canonical name: a symbolic link named on the command line has its file stamped, and the
// link stays.
Result<std::string> resolvedTarget(const std::string &path) {
  char *resolved = ::realpath(path.c_str(), nullptr);
  if (!resolved)
    return fileError(path, "cannot resolve", errno);
  std::string target = resolved;
  std::free(resolved);
  return target;
}

// Writes the stamped copy to OUT, a new file (-o).
Status writeOutput(int fd, const struct stat &info, const StampPlan &plan, const std::string &out) {
  // rename(2) would replace a device or FIFO named OUT (-o /dev/null as root): refused.
  struct stat existing;
  if (::lstat(out.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode) &&
      !S_ISLNK(existing.st_mode))
    return notRegular(out, existing.st_mode);
  return writeStamped(fd, info, plan, out, false, {});
}

// Replaces PATH (its file, when PATH is a symbolic link) and the hard links of it among
// options.hardLinks by the stamped copy; counts the links in OUTCOME.
Status replaceInPlace(const std::string &path, int fd, const struct stat &info,
                      const StampPlan &plan, const StampOptions &options, StampOutcome &outcome) {
  if (std::string bound = detail::attributeBoundToBytes(fd); !bound.empty())
    return detail::inputProblem(path, "carries " + bound +
                                           ", which vouches for the old bytes (stamp before signing)");
  Result<std::string> target = resolvedTarget(path);
  if (!target)
    return target.error();
  std::vector<std::string> links = detail::hardLinksToReplace(info, options.hardLinks, *target);
  Status written = writeStamped(fd, info, plan, *target, true, links);
  if (!written)
    return written;
  outcome.linksReplaced = links.size();
  outcome.linksNotGiven = detail::linksNotGiven(info, links.size());
  return ok();
}

} // namespace

Result<StampOutcome> stampFile(const std::string &path, std::string_view payloadJson,
                               const StampOptions &options) {
  int fd = -1;
  struct stat info;
  Status opened = openRegularFile(path, fd, info);
  detail::OwnedFd closer(fd);
  if (!opened)
    return opened.error();
  StampReader read = [fd](std::uint64_t offset, std::size_t size, std::uint8_t *out) {
    return preadAll(fd, offset, size, out);
  };
  Result<StampPlan> plan =
      planStamp(read, static_cast<std::uint64_t>(info.st_size), payloadJson, options, path);
  if (!plan)
    return plan.error();
  StampOutcome outcome = plan->outcome;
  if (outcome.action == StampAction::LeftAlone || outcome.action == StampAction::Skipped)
    return outcome;
  bool inPlace = options.outputPath.empty();
  if (inPlace && planChangesNothing(fd, static_cast<std::uint64_t>(info.st_size), *plan)) {
    outcome.action = StampAction::Unchanged;
    return outcome;
  }
  Status written = inPlace ? replaceInPlace(path, fd, info, *plan, options, outcome)
                           : writeOutput(fd, info, *plan, options.outputPath);
  if (!written)
    return written.error();
  return outcome;
}

} // namespace pkgnote
