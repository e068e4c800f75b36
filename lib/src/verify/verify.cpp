// SPDX-License-Identifier: MIT
// verifyPath and verifyPaths (verify.h): what an input is, and packages checked in parallel with
// their verdicts handed back in argument order.
#include "pkgnote/verify.h"

#include "io/byte_source.h"
#include "verify/package_readers.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace pkgnote {
namespace detail {

llvm::Expected<PackageKind> identifyPackage(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return inputError(path, errnoText(errno));
  if (S_ISDIR(st.st_mode))
    return PackageKind::Directory;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return inputError(path, errnoText(errno));
  char head[21] = {};
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  int readErrno = errno;
  ::close(fd);
  if (got < 0)
    return inputError(path, errnoText(readErrno));
  // rpm's lead starts with 0xedabeedb; a .deb is an ar archive whose first member is debian-binary.
  if (got >= 4 && std::memcmp(head, "\xed\xab\xee\xdb", 4) == 0)
    return PackageKind::Rpm;
  if (got >= 21 && std::memcmp(head, "!<arch>\ndebian-binary", 21) == 0)
    return PackageKind::Deb;
  if (got >= 4 && std::memcmp(head,
                              "\x7f"
                              "ELF",
                              4) == 0)
    return PackageKind::ElfFile;
  return PackageKind::Other;
}

} // namespace detail

static PackageSummary verifyOne(const std::string &path, const VerifyOptions &options,
                                const VerdictSink &sink, unsigned jobs) {
  using namespace detail;
  PackageChecker checker(path, options, sink);
  checker.setExpected(PackageMetadata{});
  llvm::Error error = llvm::Error::success();
  auto kind = identifyPackage(path);
  if (!kind)
    error = kind.takeError();
  else if (*kind == PackageKind::Rpm)
    error = verifyRpm(path, checker);
  else if (*kind == PackageKind::Deb)
    error = verifyDeb(path, checker);
  else if (*kind == PackageKind::Directory)
    error = verifyDirectory(path, checker, jobs);
  else if (*kind == PackageKind::ElfFile)
    error = verifyElfFile(path, checker);
  else
    error = inputError(path, "not an .rpm, a .deb, a directory or an ELF file");
  if (error)
    checker.packageError(std::move(error));
  return checker.summary();
}

namespace {

// --jobs, or one per core.
unsigned jobsFor(const VerifyOptions &options) {
  return options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

PackageSummary verifyPath(const std::string &path, const VerifyOptions &options,
                          const VerdictSink &sink) {
  return verifyOne(path, options, sink, jobsFor(options));
}

namespace {

// One package's outcome, buffered until every package before it has been handed back.
struct Buffered {
  std::vector<FileVerdict> verdicts;
  PackageSummary summary;
  bool done = false;
};

} // namespace

void verifyPaths(const std::vector<std::string> &paths, const VerifyOptions &options,
                 const VerdictSink &sink, const std::function<void(const PackageSummary &)> &done) {
  unsigned jobs = jobsFor(options);
  if (jobs == 1 || paths.size() == 1) {
    for (const std::string &path : paths)
      done(verifyOne(path, options, sink, jobs));
    return;
  }
  std::vector<Buffered> results(paths.size());
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < paths.size();) {
      std::vector<FileVerdict> verdicts;
      PackageSummary summary = verifyOne(
          paths[i], options, [&](const FileVerdict &v) { verdicts.push_back(v); }, 1);
      std::lock_guard<std::mutex> lock(mutex);
      results[i].verdicts = std::move(verdicts);
      results[i].summary = std::move(summary);
      results[i].done = true;
      ready.notify_all();
    }
  };
  std::vector<std::thread> workers;
  try {
    for (unsigned i = 0; i < std::min<std::size_t>(jobs, paths.size()); ++i)
      workers.emplace_back(work);
  } catch (const std::system_error &) {
    // Out of threads: the ones started do the work; with none, this thread does it all first.
  }
  if (workers.empty())
    work();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    Buffered result;
    {
      std::unique_lock<std::mutex> lock(mutex);
      ready.wait(lock, [&] { return results[i].done; });
      result = std::move(results[i]);
    }
    for (const FileVerdict &verdict : result.verdicts)
      sink(verdict);
    done(result.summary);
  }
  for (std::thread &worker : workers)
    worker.join();
}

} // namespace pkgnote
