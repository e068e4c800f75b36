// SPDX-License-Identifier: MIT
// A bounded source of bytes that the ELF note walker reads from: a file (pread into small buffers,
// so that only the headers and note segments are ever touched), a memory image (tests, fuzzing),
// or, for core files, a process's virtual memory rebuilt from the core's PT_LOAD segments. The
// walker never sees a pointer into the file, only what read() copied after checking the range.
#pragma once

#include "support/errors.h"

#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pkgnote::detail {

class ByteSource {
public:
  virtual ~ByteSource() = default;

  // How the input is named in messages (the path as the user gave it).
  virtual const std::string &name() const = 0;
  // Bytes [0, size()) may be addressed; a read past it fails (before any I/O, but for a small
  // read from a file whose size is not yet asked: see mayHold).
  virtual std::uint64_t size() const = 0;
  // Whether bytes [0, END) exist. A file answers from the bytes it already holds when it can,
  // without asking for its size.
  virtual bool holds(std::uint64_t end) const { return end <= size(); }
  // Whether a read of SIZE bytes ending at END may be tried: holds(END), or a file whose size is
  // not yet known and a read small enough that sizing the buffer before knowing is harmless (the
  // read itself then finds the end; see FileByteSource).
  virtual bool mayHold(std::uint64_t end, std::uint64_t /*size*/) const { return holds(end); }
  // Says that [OFFSET, OFFSET + SIZE) is likely to be read soon. Nothing for a file; a source
  // over a forward-only stream keeps such bytes as the stream goes past them (captured_source.h),
  // which spares another pass over a core whose notes come after its segments (gdb's gcore).
  virtual void expect(std::uint64_t /*offset*/, std::uint64_t /*size*/) const {}

  // Reads COUNT elements at OFFSET into OUT (a vector of bytes or of trivially copyable ELF
  // structs), resized to COUNT only once the range is known to be in the input and within the
  // read budget: COUNT comes from the file. WHAT names the structure in the message, e.g.
  // "program headers" -> "'a.out': program headers at 0x40+0x2d8 extend past end of file (0x100)".
  template <class Vector>
  llvm::Error read(std::uint64_t offset, std::uint64_t count, Vector &out,
                   std::string_view what) const {
    constexpr std::uint64_t entry = sizeof(typename Vector::value_type);
    std::uint64_t size = count > UINT64_MAX / entry ? UINT64_MAX : count * entry;
    if (llvm::Error error = checkAvailable(offset, size, what))
      return error;
    out.resize(static_cast<std::size_t>(count));
    bytesRead_ += size;
    if (size == 0)
      return llvm::Error::success();
    return readChecked(offset, reinterpret_cast<std::uint8_t *>(out.data()),
                       static_cast<std::size_t>(size), what);
  }

  // The error read() gives for a range past the end or over the read budget, without reading:
  // a table read in pieces is checked whole first.
  llvm::Error checkAvailable(std::uint64_t offset, std::uint64_t size, std::string_view what) const;

protected:
  // Called only with a range that passed mayHold() and the read budget; WHAT as for read().
  virtual llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                                  std::string_view what) const = 0;
  // "WHAT at OFFSET+SIZE extends past end of file (SIZE())".
  llvm::Error pastEnd(std::uint64_t offset, std::uint64_t size, std::string_view what) const;

private:
  // Bytes handed out so far, against kReadBudgetBytes (limits.h); a source is read by one thread.
  mutable std::uint64_t bytesRead_ = 0;
};

// The largest read a file may be asked for before its size is known (FileByteSource), and the
// largest header table sized from a count in the file before that count is checked against the
// file's size: allocating this much for a range that turns out to be past the end is harmless.
inline constexpr std::uint64_t kUncheckedReadBytes = 64u << 10;

// An open file read with pread(2). open() fails with a message naming PATH. The first 4 KiB are
// read at once and kept: in a typical binary they hold the ELF header, the program headers and
// the note segments, so reading one costs a single pread, like `head -c 4096`. A file shorter
// than that is then known to end where the read did. Reads past the head of up to
// kUncheckedReadBytes are tried without asking for the file's size: an object file's section
// headers at its end cost one pread, not an fstat and a pread; a short read then asks for the
// size, for the same message as a range refused beforehand.
class FileByteSource final : public ByteSource {
public:
  // KNOWN_REGULAR: the tree walk saw a regular file (readdir's d_type), so the fstat(2) that tells
  // a directory or a FIFO apart is skipped, and the size is only asked for when a read goes past
  // the first 4 KiB: a file opened and found not to be ELF costs open, pread and close.
  static llvm::Expected<std::unique_ptr<FileByteSource>> open(const std::string &path,
                                                              bool knownRegular = false);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource &) = delete;
  FileByteSource &operator=(const FileByteSource &) = delete;

  const std::string &name() const override { return path_; }
  std::uint64_t size() const override;
  bool holds(std::uint64_t end) const override { return end <= headSize_ || end <= size(); }
  bool mayHold(std::uint64_t end, std::uint64_t size) const override {
    return end <= headSize_ || (!sizeKnown_ && size <= kUncheckedReadBytes) || end <= this->size();
  }

private:
  friend class FileBatchOpener; // opens walk-found files and reads their heads in batches

  static constexpr std::size_t kHeadBytes = 4096;
  FileByteSource(const std::string &path, int fd) : path_(path), fd_(fd) {}
  llvm::Error readHead(bool knownRegular);
  // Takes the outcome of reading the head (bytes read, or -errno) of WANT bytes.
  llvm::Error acceptHead(long result, std::size_t want, bool knownRegular);
  // The descriptor, now the caller's to close (the destructor then leaves it alone).
  int releaseDescriptor() { return std::exchange(fd_, -1); }
  llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                          std::string_view what) const override;

  std::string path_;
  int fd_;
  mutable std::uint64_t size_ = 0;
  mutable bool sizeKnown_ = false;
  std::size_t headSize_ = 0;
  std::uint8_t head_[kHeadBytes]; // not zero-filled: only headSize_ bytes are ever read
};

// Bytes already in memory; the caller keeps them alive.
class MemoryByteSource final : public ByteSource {
public:
  MemoryByteSource(std::string_view bytes, std::string name)
      : bytes_(bytes), name_(std::move(name)) {}

  const std::string &name() const override { return name_; }
  std::uint64_t size() const override { return bytes_.size(); }

private:
  llvm::Error readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                          std::string_view what) const override;

  std::string_view bytes_;
  std::string name_;
};

// "0x1f" for messages.
std::string hexText(std::uint64_t value);

} // namespace pkgnote::detail
