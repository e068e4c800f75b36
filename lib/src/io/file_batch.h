// SPDX-License-Identifier: MIT
// Opening the files a tree walk found and reading their first 4 KiB, a batch at a time. Most of
// a walk's cost is system calls (open, pread, close for every file, ELF or not), and on some
// machines each one costs a microsecond of entry and exit alone (a paravirtualised guest measured
// 1 us for getppid). With io_uring a batch of files costs two system calls: one submits every
// open (and the closes of the batch before), one every head read. Without io_uring (not built
// in, refused by the kernel: see io_ring.h; or not wanted), files are opened one by one with
// FileByteSource::open; the results are the same either way, but for
// one: a FIFO or other device without pread put where the walk had seen a regular file (readdir's
// d_type; only a race gets one here) is refused by pread ("not a regular file"), while io_uring's
// read takes what is in it, without blocking (opened O_NONBLOCK), usually nothing, and the file is
// then skipped as not ELF. Refusing it as pread does would take a check per file (a linked
// fadvise, which fails on a FIFO, cost 20% of the ring's time in a walk of /usr).
#pragma once

#include "io/byte_source.h"
#include "io/io_ring.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace pkgnote::detail {

class FileBatchOpener {
public:
  // USE_IO_URING: try io_uring (set up at the first batch; if the kernel refuses, or a batch
  // ever fails in an unexpected way, the opener goes on without it).
  explicit FileBatchOpener(bool useIoUring);
  ~FileBatchOpener();
  FileBatchOpener(const FileBatchOpener &) = delete;
  FileBatchOpener &operator=(const FileBatchOpener &) = delete;

  using Opened = llvm::Expected<std::unique_ptr<FileByteSource>>;

  // One source per path, in order, as FileByteSource::open(path, /*knownRegular=*/true) gives:
  // open, head read, or the error naming the path.
  std::vector<Opened> open(const std::vector<const std::string *> &paths);

  // Takes back a source opened here: its descriptor is closed with the next batch (or at once,
  // without io_uring).
  void close(std::unique_ptr<FileByteSource> source);

  // Whether batches go through io_uring (tests check that the path they mean to test is taken).
  bool usesIoUring() const;
  // Whether this build can use io_uring at all (IoRing::builtIn).
  static bool ioUringBuiltIn();

private:
  std::vector<Opened> openEach(const std::vector<const std::string *> &paths);
  // Closes every descriptor owed now (through the ring while it works).
  void submitCloses();

  bool wantRing_;                // a ring is still to be set up (at the first batch)
  std::unique_ptr<IoRing> ring_; // null when not wanted, not available, or given up
  std::vector<int> closing_;     // descriptors to close with the next submission
};

} // namespace pkgnote::detail
