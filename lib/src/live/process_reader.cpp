// SPDX-License-Identifier: MIT
// readProcesses (ps.h): lists /proc, and per process reads its comm, maps, executable and root,
// then its modules (process_modules.cpp). What a process denies (another user's, without
// privilege) is its record's error; what vanishes meanwhile (ENOENT, ESRCH) is skipped.
#include "pkgnote/ps.h"

#include "io/byte_source.h"
#include "io/owned_fd.h"
#include "live/file_catalog.h"
#include "live/proc_maps.h"
#include "live/process_modules.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pkgnote {

bool ProcessReport::stale() const {
  return std::any_of(modules.begin(), modules.end(),
                     [](const ProcessModule &module) { return module.stale(); });
}

namespace detail {
namespace {

bool vanished(int error) { return error == ENOENT || error == ESRCH; }

// The whole of a /proc file into OUT (whose capacity is kept from call to call); 0 or errno.
int readProcFile(const std::string &path, std::string &out) {
  out.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  OwnedFd owned(fd);
  constexpr std::size_t kChunk = 64 << 10;
  for (;;) {
    std::size_t at = out.size();
    out.resize(at + kChunk);
    ssize_t got = ::read(fd, out.data() + at, kChunk);
    if (got < 0 && errno == EINTR) {
      out.resize(at);
      continue;
    }
    if (got < 0) {
      int error = errno;
      out.resize(at);
      return error;
    }
    out.resize(at + static_cast<std::size_t>(got));
    if (got == 0)
      return 0;
  }
}

// readlink(2) of PATH into OUT; 0 or errno.
int readLink(const std::string &path, std::string &out) {
  char buffer[4096];
  ssize_t got = ::readlink(path.c_str(), buffer, sizeof buffer);
  if (got < 0)
    return errno;
  out.assign(buffer, static_cast<std::size_t>(got));
  return 0;
}

std::optional<FileKey> statKey(const std::string &path) {
  struct stat status;
  if (::stat(path.c_str(), &status) != 0)
    return std::nullopt;
  return FileKey{static_cast<std::uint64_t>(status.st_dev),
                 static_cast<std::uint64_t>(status.st_ino)};
}

class ProcessReader {
public:
  ProcessReader() : ownRoot_(statKey("/").value_or(FileKey{})) {}

  // The record of PID; std::nullopt when it vanished, or (unless NAMED) has no memory of its own
  // (a kernel thread).
  std::optional<ProcessReport> read(int pid, bool named) {
    ProcessReport report;
    report.pid = pid;
    ProcessView view;
    view.pid = pid;
    view.procDir = "/proc/" + std::to_string(pid);
    int error = readProcFile(view.procDir + "/comm", buffer_);
    if (vanished(error))
      return named ? std::optional(failed(report, view.procDir, error)) : std::nullopt;
    if (error == 0)
      report.comm = buffer_.substr(0, buffer_.find('\n'));
    std::string mapsPath = view.procDir + "/maps";
    error = readProcFile(mapsPath, buffer_);
    if (vanished(error))
      return named ? std::optional(failed(report, view.procDir, error)) : std::nullopt;
    if (error != 0)
      return failed(report, mapsPath, error);
    if (buffer_.empty() && !named)
      return std::nullopt; // a kernel thread, or a zombie
    auto mappings = parseMaps(buffer_, mapsPath);
    if (!mappings) {
      report.error = llvm::toString(mappings.takeError());
      return report;
    }
    if (!placeRoot(view, report))
      return std::nullopt;
    std::string exe;
    if (readLink(view.procDir + "/exe", exe) == 0) {
      constexpr std::string_view kDeleted = " (deleted)";
      if (exe.size() > kDeleted.size() &&
          exe.compare(exe.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0)
        exe.resize(exe.size() - kDeleted.size());
      report.exe = processPath(view, exe);
    }
    report.modules =
        modulesOf(view, *mappings, statKey(view.procDir + "/exe"), catalog_, report.warnings);
    if (view.memFd >= 0)
      ::close(view.memFd);
    return report;
  }

private:
  static ProcessReport failed(ProcessReport &report, const std::string &path, int error) {
    report.error =
        inputProblem(path, vanished(error) ? "no such process" : errnoText(error)).message;
    return report;
  }

  // The process's root: pkgnote's own, or another (a chroot, a container's mount namespace),
  // whose path maps shows before a chroot's modules. False when the process vanished.
  bool placeRoot(ProcessView &view, ProcessReport &report) {
    std::string rootLink = view.procDir + "/root";
    struct stat status;
    if (::stat(rootLink.c_str(), &status) != 0)
      return !vanished(errno); // not ours to look into: paths are taken as pkgnote's
    view.root = {static_cast<std::uint64_t>(status.st_dev),
                 static_cast<std::uint64_t>(status.st_ino)};
    if (view.root == ownRoot_)
      return true;
    view.lookupPrefix = rootLink;
    std::string shown;
    if (readLink(rootLink, shown) != 0)
      return !vanished(errno);
    // "/" although another root: a mount namespace whose root is not under pkgnote's; its maps
    // paths are the process's own already.
    report.root = shown == "/" ? rootLink : shown;
    if (shown != "/")
      view.mapsPrefix = shown;
    return true;
  }

  FileKey ownRoot_;
  FileCatalog catalog_;
  std::string buffer_;
};

std::vector<int> allPids() {
  std::vector<int> pids;
  DIR *proc = ::opendir("/proc");
  if (!proc)
    return pids;
  while (const dirent *entry = ::readdir(proc)) {
    char *end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end == '\0' && pid > 0 && pid <= INT32_MAX)
      pids.push_back(static_cast<int>(pid));
  }
  ::closedir(proc);
  std::sort(pids.begin(), pids.end());
  return pids;
}

} // namespace
} // namespace detail

Status readProcesses(const PsOptions &options,
                     const std::function<void(const ProcessReport &)> &emit) {
  bool named = !options.pids.empty();
  std::vector<int> pids = options.pids;
  if (!named) {
    if (::access("/proc/self/maps", R_OK) != 0)
      return Error{"'/proc': " + detail::errnoText(errno) + " (is procfs mounted?)"};
    pids = detail::allPids();
  }
  std::sort(pids.begin(), pids.end());
  pids.erase(std::unique(pids.begin(), pids.end()), pids.end());
  detail::ProcessReader reader;
  for (int pid : pids)
    if (std::optional<ProcessReport> report = reader.read(pid, named))
      emit(*report);
  return ok();
}

} // namespace pkgnote
