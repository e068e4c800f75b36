// SPDX-License-Identifier: MIT
// verifyRpm (package_readers.h). librpm reads the lead, the signature and the header (with
// signature and digest checks off: verify asks what the package claims, not who signed it) and
// leaves the descriptor at the payload, which libarchive then reads from that same descriptor:
// one pass, no temporary file. The payload's compression (gzip, xz, zstd, bzip2) is recognised
// from its bytes (io/archive_input.h).
#include "verify/archive_members.h"
#include "verify/cpio_guard.h"
#include "verify/package_readers.h"

#include "io/archive_input.h"
#include "io/byte_source.h"
#include "pkgnote/nevra.h"

#include <archive.h>

#if PKGNOTE_HAVE_LIBRPM
#include "verify/librpm.h"
#endif

#include <memory>
#include <mutex>

namespace pkgnote::detail {
#if PKGNOTE_HAVE_LIBRPM
namespace {

// librpm keeps process-wide state (its log, its macro context): one header is read at a time.
std::mutex rpmMutex;

struct RpmHandles {
  const LibRpm &rpm;
  FD_t fd = nullptr;
  rpmts ts = nullptr;
  Header header = nullptr;
  ~RpmHandles() {
    if (header)
      rpm.headerFree(header);
    if (ts)
      rpm.tsFree(ts);
    if (fd)
      rpm.fclose(fd);
  }
};

// The last message librpm logged while reading a header (it is not printed), without librpm's
// repetition of the file name and its trailing newline.
struct RpmLogCapture {
  const LibRpm &rpm;
  std::string last;
  static int callback(rpmlogRec rec, rpmlogCallbackData data) {
    auto *capture = static_cast<RpmLogCapture *>(data);
    capture->last = capture->rpm.logRecMessage(rec);
    return 0; // handled: nothing printed
  }
  std::string message(const std::string &path, rpmRC rc) const {
    std::string text = last;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
      text.pop_back();
    if (text.compare(0, path.size() + 2, path + ": ") == 0)
      text.erase(0, path.size() + 2);
    if (!text.empty())
      return text;
    return rc == RPMRC_NOTFOUND ? "not an rpm package" : "corrupt header";
  }
};

llvm::Expected<PackageMetadata> rpmExpectedMetadata(const LibRpm &rpm, Header header,
                                                    const std::string &path) {
  auto tag = [&](rpmTagVal which) -> std::string {
    const char *value = rpm.headerGetString(header, which);
    return value ? value : "";
  };
  std::string name = tag(RPMTAG_NAME), version = tag(RPMTAG_VERSION),
              release = tag(RPMTAG_RELEASE), arch = tag(RPMTAG_ARCH);
  if (name.empty() || version.empty() || release.empty() || arch.empty())
    return inputError(path, "rpm header lacks NAME, VERSION, RELEASE or ARCH");
  // A subpackage's binaries carry the source package's name: %{name} in the spec.
  std::string source = tag(RPMTAG_SOURCERPM);
  if (!source.empty()) {
    std::string_view nevra = source;
    if (nevra.size() > 4 && nevra.substr(nevra.size() - 4) == ".rpm")
      nevra.remove_suffix(4);
    Result<Nevra> parsed = parseNevra(nevra);
    if (!parsed)
      return inputError(path, "SOURCERPM " + parsed.error().message);
    name = parsed->name;
  }
  PackageMetadata metadata;
  metadata.fields = {{"type", "rpm"}, {"name", name}, {"version", version + "-" + release},
                     {"architecture", arch}};
  return metadata;
}

// Opens PATH and reads its header; HANDLES.fd is then at the payload.
llvm::Expected<PackageMetadata> readHeader(const std::string &path, RpmHandles &handles) {
  const LibRpm &rpm = handles.rpm;
  std::lock_guard<std::mutex> lock(rpmMutex);
  RpmLogCapture log{rpm, {}};
  rpmlogCallback previous = rpm.logSetCallback(RpmLogCapture::callback, &log);
  struct Restore {
    const LibRpm &rpm;
    rpmlogCallback previous;
    ~Restore() { rpm.logSetCallback(previous, nullptr); }
  } restore{rpm, previous};
  handles.fd = rpm.fopen(path.c_str(), "r.ufdio");
  if (!handles.fd || rpm.ferror(handles.fd))
    return inputError(path, rpm.fstrerror(handles.fd));
  handles.ts = rpm.tsCreate();
  rpm.tsSetVSFlags(handles.ts, RPMVSF_MASK_NOSIGNATURES | RPMVSF_MASK_NODIGESTS);
  rpmRC rc = rpm.readPackageFile(handles.ts, handles.fd, path.c_str(), &handles.header);
  if (rc != RPMRC_OK && rc != RPMRC_NOKEY && rc != RPMRC_NOTTRUSTED)
    return inputError(path, "rpm header: " + log.message(path, rc));
  const char *format = rpm.headerGetString(handles.header, RPMTAG_PAYLOADFORMAT);
  if (format && std::string_view(format) != "cpio")
    return inputError(path, "payload format '" + std::string(format) + "' is not cpio");
  return rpmExpectedMetadata(rpm, handles.header, path);
}

// Reads of the payload: libarchive's own block size for files would be 10 KiB.
constexpr std::size_t kPayloadReadBytes = 64 << 10;

// The payload's compressed bytes, read through librpm's FD_t (it may have buffered some already).
ChunkSource payloadSource(const LibRpm &rpm, FD_t fd, const std::string &path) {
  auto buffer = std::shared_ptr<std::uint8_t[]>(new std::uint8_t[kPayloadReadBytes]);
  return [&rpm, fd, &path, buffer]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    ssize_t got = rpm.fread(buffer.get(), 1, kPayloadReadBytes, fd);
    if (got < 0)
      return inputError(path, llvm::Twine("payload: ") + rpm.fstrerror(fd));
    return llvm::ArrayRef<std::uint8_t>(buffer.get(), static_cast<std::size_t>(got));
  };
}

} // namespace

llvm::Error verifyRpm(const std::string &path, PackageChecker &checker) {
  auto rpm = loadLibRpm(path);
  if (!rpm)
    return rpm.takeError();
  RpmHandles handles{**rpm};
  auto expected = readHeader(path, handles);
  if (!expected)
    return expected.takeError();
  checker.setExpected(*expected);
  // Two readers: "raw" decompresses, the cpio reader walks what CpioHeaderGuard let through.
  using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive *)>;
  ArchiveInput input(path, payloadSource(**rpm, handles.fd, path));
  ArchivePtr raw(archive_read_new(), archive_read_free);
  archive_read_support_format_raw(raw.get());
  if (input.open(raw.get()) != ARCHIVE_OK)
    return archiveError(raw.get(), path, "payload");
  GuardedCpioInput guarded(raw.get());
  ArchivePtr payload(archive_read_new(), archive_read_free);
  archive_read_support_format_cpio(payload.get());
  if (guarded.open(payload.get()) != ARCHIVE_OK)
    return archiveError(payload.get(), path, "payload");
  return checkArchiveMembers(payload.get(), checker);
}

#else

// A static pkgnote (PKGNOTE_STATIC) has no librpm to read headers with: no distribution ships one.
llvm::Error verifyRpm(const std::string &path, PackageChecker &) {
  return inputError(path, "this pkgnote was built without librpm (PKGNOTE_STATIC): it cannot "
                          "read .rpm packages");
}

#endif

} // namespace pkgnote::detail
