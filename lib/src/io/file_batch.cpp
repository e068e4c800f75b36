// SPDX-License-Identifier: MIT
// A batch through io_uring (io_ring.h): every close owed and every open go in one submission, then
// every head read in a second; completions are matched to files by their tags. Anything the ring
// cannot do as expected (a read that would block, an operation the kernel lacks) is done the plain
// way for that file, so the ring saves system calls without changing an outcome (but for the FIFO
// race in file_batch.h).
#include "io/file_batch.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <fcntl.h>
#include <unistd.h>

namespace pkgnote::detail {

namespace {

// Files per submission: each costs an open and a read entry, and the closes owed by the batch
// before take as many again. Beyond 32 the saved system calls no longer show in a walk of /usr.
constexpr unsigned kBatchFiles = 32;
constexpr unsigned kRingEntries = 2 * kBatchFiles;
constexpr std::uint64_t kCloseTag = ~std::uint64_t{0};

} // namespace

FileBatchOpener::FileBatchOpener(bool useIoUring) : wantRing_(useIoUring) {}

FileBatchOpener::~FileBatchOpener() { submitCloses(); }

void FileBatchOpener::submitCloses() {
  std::size_t done = 0;
  while (ring_ && done < closing_.size()) {
    unsigned count =
        static_cast<unsigned>(std::min<std::size_t>(closing_.size() - done, kRingEntries));
    for (unsigned i = 0; i < count; ++i)
      ring_->queueClose(kCloseTag, closing_[done + i]);
    int taken = ring_->submit(count, [](std::uint64_t, int) {});
    if (taken < 0) {    // unknown which closes were done: leave the rest open rather than risk
      closing_.clear(); // closing a descriptor another thread has just been given
      ring_.reset();
      return;
    }
    done += static_cast<unsigned>(taken);
    if (static_cast<unsigned>(taken) != count)
      ring_.reset(); // the closes it did not take are done below
  }
  for (std::size_t i = done; i < closing_.size(); ++i)
    ::close(closing_[i]);
  closing_.clear();
}

bool FileBatchOpener::usesIoUring() const { return ring_ != nullptr; }

bool FileBatchOpener::ioUringBuiltIn() { return IoRing::builtIn(); }

void FileBatchOpener::close(std::unique_ptr<FileByteSource> source) {
  if (ring_)
    closing_.push_back(source->releaseDescriptor());
  // Otherwise the destructor closes it now.
}

std::vector<FileBatchOpener::Opened>
FileBatchOpener::openEach(const std::vector<const std::string *> &paths) {
  std::vector<Opened> opened;
  opened.reserve(paths.size());
  for (const std::string *path : paths)
    opened.push_back(FileByteSource::open(*path, /*knownRegular=*/true));
  return opened;
}

std::vector<FileBatchOpener::Opened>
FileBatchOpener::open(const std::vector<const std::string *> &paths) {
  if (paths.empty())
    return {};
  if (wantRing_) { // set up once: a ring given up after a failure is not tried again
    wantRing_ = false;
    ring_ = IoRing::create(kRingEntries);
  }
  if (!ring_ || paths.size() > kBatchFiles) {
    if (!ring_)
      return openEach(paths);
    std::vector<Opened> opened; // in chunks of a batch
    for (std::size_t first = 0; first < paths.size(); first += kBatchFiles) {
      std::vector<const std::string *> chunk(
          paths.begin() + first, paths.begin() + std::min(paths.size(), first + kBatchFiles));
      for (Opened &one : open(chunk))
        opened.push_back(std::move(one));
    }
    return opened;
  }

  // Submission 1: the closes owed, then one open per path.
  if (closing_.size() + paths.size() > kRingEntries)
    submitCloses(); // more closes than the batch has room for: on their own first
  if (!ring_)
    return openEach(paths);
  std::vector<int> fds(paths.size(), -1);
  std::vector<int> openErrors(paths.size(), 0);
  for (int fd : closing_)
    ring_->queueClose(kCloseTag, fd);
  for (std::size_t i = 0; i < paths.size(); ++i)
    ring_->queueOpen(i, paths[i]->c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  int queued = static_cast<int>(closing_.size() + paths.size());
  int taken = ring_->submit(queued, [&](std::uint64_t tag, int result) {
    if (tag != kCloseTag)
      (result >= 0 ? fds[tag] : openErrors[tag]) = result;
  });
  if (taken >= 0) // the closes the ring did not take (it takes them first)
    for (std::size_t i = static_cast<std::size_t>(taken); i < closing_.size(); ++i)
      ::close(closing_[i]);
  closing_.clear();
  if (taken != queued) { // give the ring up: what it opened is closed, the batch done plainly
    for (int fd : fds)
      if (fd >= 0)
        ::close(fd);
    ring_.reset();
    return openEach(paths);
  }

  // Submission 2: one head read per file opened.
  constexpr long kNotRead = LONG_MIN;
  std::vector<std::unique_ptr<FileByteSource>> sources(paths.size());
  std::vector<long> heads(paths.size(), kNotRead);
  int reads = 0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (fds[i] < 0)
      continue;
    sources[i].reset(new FileByteSource(*paths[i], fds[i]));
    ring_->queueRead(i, fds[i], sources[i]->head_, FileByteSource::kHeadBytes);
    ++reads;
  }
  taken = ring_->submit(reads, [&](std::uint64_t tag, int result) { heads[tag] = result; });
  if (taken != reads)
    ring_.reset(); // the sources keep their descriptors and close them themselves

  std::vector<Opened> opened;
  opened.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (fds[i] < 0) {
      opened.push_back(inputError(*paths[i], errnoText(-openErrors[i])));
      continue;
    }
    if (heads[i] == kNotRead && taken < 0) {
      // The read may still be in flight into this source's buffer: the source is abandoned (a
      // descriptor and 4 KiB, after a failure io_uring does not have in practice).
      (void)sources[i].release();
      opened.push_back(FileByteSource::open(*paths[i], /*knownRegular=*/true));
      continue;
    }
    FileByteSource &source = *sources[i];
    // A read the ring would have had to wait for (the file is opened O_NONBLOCK, so that a FIFO
    // put in a regular file's place cannot hang the walk; io_uring then answers EAGAIN for pages
    // not in memory), or one it did not take: read here, as the plain way does.
    llvm::Error error = heads[i] != kNotRead && heads[i] != -EAGAIN
                            ? source.acceptHead(heads[i], FileByteSource::kHeadBytes, true)
                            : source.readHead(true);
    if (error)
      opened.push_back(std::move(error));
    else
      opened.push_back(std::move(sources[i]));
  }
  return opened;
}

} // namespace pkgnote::detail
