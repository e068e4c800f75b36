// SPDX-License-Identifier: MIT
// readImageLayout (image_reader.h): index.json and the JSON blobs are read whole (they are
// small, and bounded), layers are streamed from their blob files, two or more at once: a layer
// does not depend on another until they are stacked.
#include "image/image_reader.h"

#include "image/image_json.h"
#include "io/byte_source.h"
#include "io/owned_fd.h"
#include "io/stream_adapters.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace pkgnote::detail {
namespace {

// JSON documents of an image are kilobytes; a bigger one is refused rather than held.
constexpr std::uint64_t kMaxJsonBytes = 16 << 20;

// The whole file at PATH, at most kMaxJsonBytes; errno's text on failure.
llvm::Expected<std::string> readSmallFile(const std::string &path, const std::string &name) {
  OwnedFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.fd < 0)
    return inputError(name, errnoText(errno));
  std::string out;
  char buffer[65536];
  for (;;) {
    ssize_t got = ::read(file.fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return inputError(name, errnoText(errno));
    if (got == 0)
      return out;
    out.append(buffer, static_cast<std::size_t>(got));
    if (out.size() > kMaxJsonBytes)
      return inputError(name, "larger than " + hexText(kMaxJsonBytes) + " bytes");
  }
}

std::string blobPath(const std::string &directory, const std::string &digest) {
  return directory + "/blobs/sha256/" + digest.substr(7);
}

} // namespace

std::string sha256Of(std::string_view bytes) {
  bool given = false;
  Sha256Chunks hashed([&]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    if (std::exchange(given, true))
      return llvm::ArrayRef<std::uint8_t>();
    return llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                        bytes.size());
  });
  llvm::consumeError(hashed.drain()); // memory cannot fail
  return hashed.digest();
}

namespace {

// Layers scanned at once, at most: each holds its decompressor's window (32 KiB for gzip, up to
// 8 MiB for zstd at its usual levels) and libarchive's buffers while it is read, so that eight
// stay within the 64 MiB budget beside the entries they keep; fewer when the machine has fewer
// cores.
constexpr unsigned kMaxLayerJobs = 8;

// The scans of DIGESTS' layers, side by side on up to one thread a core (kMaxLayerJobs); errors
// in digest order.
std::map<std::string, LayerScan> scanLayers(const std::string &directory, const std::string &image,
                                            const std::vector<std::string> &digests,
                                            bool dependencies, const ImageSink &sink) {
  std::vector<std::optional<llvm::Expected<LayerScan>>> results(digests.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < digests.size();) {
      const std::string &digest = digests[i];
      std::string name = "blob " + digest;
      int fd = ::open(blobPath(directory, digest).c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        results[i].emplace(inputError(name, "missing (" + errnoText(errno) + ")"));
        continue;
      }
      OwnedFd file(fd);
      results[i].emplace(scanLayer(name, descriptorChunks(fd, name), dependencies));
    }
  };
  unsigned jobs = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxLayerJobs);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < jobs && i < digests.size(); ++i)
    threads.emplace_back(work);
  work();
  for (std::thread &thread : threads)
    thread.join();
  std::map<std::string, LayerScan> scans;
  for (std::size_t i = 0; i < digests.size(); ++i) {
    llvm::Expected<LayerScan> &scan = *results[i];
    if (!scan) {
      sink(blobError(image, digests[i], problemAbout(scan.takeError(), "blob " + digests[i])));
      continue;
    }
    if (scan->digest != digests[i]) {
      sink(blobError(image, digests[i],
                     "digest mismatch (the blob's bytes hash to " + scan->digest + ")"));
      continue;
    }
    scans.emplace(digests[i], std::move(*scan));
  }
  return scans;
}

} // namespace

bool isImageLayout(const std::string &directory) {
  struct stat info;
  return ::stat((directory + "/oci-layout").c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::stat((directory + "/index.json").c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

void readImageLayout(const std::string &directory, const std::string &image,
                     const ReadOptions &options, const ImageSink &sink) {
  auto index = readSmallFile(directory + "/index.json", "index.json");
  if (!index) {
    sink(inputProblem(image, "index.json: " + problemAbout(index.takeError(), "index.json")));
    return;
  }
  JsonBlobReader blob = [&](const std::string &digest) -> llvm::Expected<std::string> {
    std::string name = "blob " + digest;
    auto bytes = readSmallFile(blobPath(directory, digest), "blob");
    if (!bytes)
      return inputError(image, name + ": " + problemAbout(bytes.takeError(), "blob"));
    std::string actual = sha256Of(*bytes);
    if (actual != digest)
      return inputError(image,
                        name + ": digest mismatch (the blob's bytes hash to " + actual + ")");
    return bytes;
  };
  std::vector<ResolvedImage> images = resolveOciImages(image, *index, blob, options, sink);
  std::vector<std::string> digests;
  std::set<std::string> seen;
  for (const ResolvedImage &resolved : images)
    for (const std::string &layer : resolved.layers)
      if (seen.insert(layer).second)
        digests.push_back(layer);
  std::map<std::string, LayerScan> scans =
      scanLayers(directory, image, digests, options.dependencies, sink);
  std::map<std::string, const LayerScan *> byDigest;
  for (const auto &[digest, scan] : scans)
    byDigest.emplace(digest, &scan);
  for (const ResolvedImage &resolved : images)
    reportImage(image, resolved, byDigest, options, sink);
}

} // namespace pkgnote::detail
