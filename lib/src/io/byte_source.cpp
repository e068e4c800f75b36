// SPDX-License-Identifier: MIT
// Bounded reads: every range is checked for overflow and end of input before any byte is copied.
#include "io/byte_source.h"

#include "pkgnote/limits.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pkgnote::detail {

std::string hexText(std::uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex(value, 0);
  return text;
}

llvm::Error ByteSource::pastEnd(std::uint64_t offset, std::uint64_t size,
                                std::string_view what) const {
  return inputError(name(), llvm::Twine(what) + " at " + hexText(offset) + "+" + hexText(size) +
                                " extends past end of file (" + hexText(this->size()) + ")");
}

llvm::Error ByteSource::checkAvailable(std::uint64_t offset, std::uint64_t size,
                                       std::string_view what) const {
  std::uint64_t end = offset + size;
  if (end < offset || !mayHold(end, size))
    return pastEnd(offset, size, what);
  if (size > kReadBudgetBytes - bytesRead_)
    return inputError(name(), llvm::Twine(what) + " at " + hexText(offset) + "+" + hexText(size) +
                                  " exceeds the read budget of " + hexText(kReadBudgetBytes) +
                                  " bytes per file");
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<FileByteSource>> FileByteSource::open(const std::string &path,
                                                                     bool knownRegular) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return inputError(path, errnoText(errno));
  std::unique_ptr<FileByteSource> source(new FileByteSource(path, fd));
  if (!knownRegular) {
    struct stat st;
    if (::fstat(fd, &st) != 0)
      return inputError(path, errnoText(errno));
    if (S_ISDIR(st.st_mode))
      return inputError(path, "is a directory");
    if (!S_ISREG(st.st_mode))
      return inputError(path, "not a regular file");
    source->size_ = static_cast<std::uint64_t>(st.st_size);
    source->sizeKnown_ = true;
  }
  if (llvm::Error error = source->readHead(knownRegular))
    return error;
  return source;
}

// Up to kHeadBytes from offset 0, in one pread.
llvm::Error FileByteSource::readHead(bool knownRegular) {
  std::size_t want = sizeKnown_
                         ? static_cast<std::size_t>(std::min<std::uint64_t>(size_, kHeadBytes))
                         : kHeadBytes;
  ssize_t got;
  do
    got = ::pread(fd_, head_, want, 0);
  while (got < 0 && errno == EINTR);
  return acceptHead(got < 0 ? -errno : got, want, knownRegular);
}

// A short read of a regular file means that it ends there (a file the walk found is taken to be
// one: something opened as a regular file and read short is not worth an fstat).
llvm::Error FileByteSource::acceptHead(long result, std::size_t want, bool knownRegular) {
  if (result == -EISDIR)
    return inputError(path_, "is a directory");
  if (result == -ESPIPE)
    return inputError(path_, "not a regular file");
  if (result < 0)
    return inputError(path_, errnoText(static_cast<int>(-result)));
  headSize_ = static_cast<std::size_t>(result);
  if (knownRegular && headSize_ < want) {
    size_ = headSize_;
    sizeKnown_ = true;
  }
  return llvm::Error::success();
}

std::uint64_t FileByteSource::size() const {
  if (!sizeKnown_) {
    struct stat st;
    // fstat on an open descriptor does not fail in practice; if it did, only the bytes already
    // read are addressable.
    size_ = ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : headSize_;
    sizeKnown_ = true;
  }
  return size_;
}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0)
    ::close(fd_);
}

llvm::Error FileByteSource::readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                                        std::string_view what) const {
  if (offset + size <= headSize_) {
    std::memcpy(out, head_ + offset, size);
    return llvm::Error::success();
  }
  bool sizeWasKnown = sizeKnown_;
  std::size_t done = 0;
  while (done < size) {
    ssize_t got = ::pread(fd_, out + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return inputError(path_, errnoText(errno));
    if (got == 0 && !sizeWasKnown) // a read tried before knowing the size: past the end
      return pastEnd(offset, size, what);
    if (got == 0) // the file shrank under us
      return inputError(path_, "unexpected end of file at " + hexText(offset + done));
    done += static_cast<std::size_t>(got);
  }
  return llvm::Error::success();
}

llvm::Error MemoryByteSource::readChecked(std::uint64_t offset, std::uint8_t *out, std::size_t size,
                                          std::string_view) const {
  std::memcpy(out, bytes_.data() + offset, size);
  return llvm::Error::success();
}

} // namespace pkgnote::detail
