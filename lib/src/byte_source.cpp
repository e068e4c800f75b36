// Bounded reads: every range is checked for overflow and end of input before any byte is copied.
#include "byte_source.h"

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

static std::string hex(std::uint64_t value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format_hex(value, 0);
  return text;
}

// strerror() text, lowercased to the one message form ("no such file or directory").
static std::string errnoText(int error) {
  std::string text = std::strerror(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

llvm::Error inputError(const std::string &name, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "'" + name + "': " + message.str());
}

llvm::Error ByteSource::read(std::uint64_t offset, std::uint64_t size,
                             std::vector<std::uint8_t> &out, std::string_view what) const {
  std::uint64_t end = offset + size;
  if (end < offset || end > this->size())
    return inputError(name(), llvm::Twine(what) + " at " + hex(offset) + "+" + hex(size) +
                                  " extends past end of file (" + hex(this->size()) + ")");
  if (size > kReadBudgetBytes - bytesRead_)
    return inputError(name(), llvm::Twine(what) + " at " + hex(offset) + "+" + hex(size) +
                                  " exceeds the read budget of " + hex(kReadBudgetBytes) +
                                  " bytes per file");
  bytesRead_ += size;
  out.resize(static_cast<std::size_t>(size));
  if (size == 0)
    return llvm::Error::success();
  return readChecked(offset, out.data(), out.size());
}

llvm::Expected<std::unique_ptr<FileByteSource>> FileByteSource::open(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return inputError(path, errnoText(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int saved = errno;
    ::close(fd);
    return inputError(path, errnoText(saved));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return inputError(path, "is a directory");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return inputError(path, "not a regular file");
  }
  std::unique_ptr<FileByteSource> source(
      new FileByteSource(path, fd, static_cast<std::uint64_t>(st.st_size)));
  source->head_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(source->size_, 4096)));
  if (llvm::Error error = source->readRaw(0, source->head_.data(), source->head_.size()))
    return error;
  return source;
}

FileByteSource::~FileByteSource() { ::close(fd_); }

llvm::Error FileByteSource::readChecked(std::uint64_t offset, std::uint8_t *out,
                                        std::size_t size) const {
  if (offset + size <= head_.size()) {
    std::memcpy(out, head_.data() + offset, size);
    return llvm::Error::success();
  }
  return readRaw(offset, out, size);
}

llvm::Error FileByteSource::readRaw(std::uint64_t offset, std::uint8_t *out,
                                    std::size_t size) const {
  std::size_t done = 0;
  while (done < size) {
    ssize_t got = ::pread(fd_, out + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return inputError(path_, errnoText(errno));
    if (got == 0) // the file shrank under us
      return inputError(path_, "unexpected end of file at " + hex(offset + done));
    done += static_cast<std::size_t>(got);
  }
  return llvm::Error::success();
}

llvm::Error MemoryByteSource::readChecked(std::uint64_t offset, std::uint8_t *out,
                                          std::size_t size) const {
  std::memcpy(out, bytes_.data() + offset, size);
  return llvm::Error::success();
}

} // namespace pkgnote::detail
