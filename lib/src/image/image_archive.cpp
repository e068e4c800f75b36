// SPDX-License-Identifier: MIT
// readImageArchive (image_reader.h): one forward pass over the archive. Which entries are layers
// is only known from manifest.json or index.json, which may come after them (docker save writes
// manifest.json last), so every entry that is a tar (plain or compressed) is scanned as a layer as
// it goes by, small entries are kept (the JSON documents), and the images are resolved at the
// end from what was kept: per-layer results are paths and reports, never file contents.
#include "image/image_reader.h"

#include "image/image_json.h"
#include "io/archive_input.h"
#include "io/byte_source.h"
#include "io/decompress_stream.h"
#include "io/stream_adapters.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstring>

namespace pkgnote::detail {

bool isTarHead(std::string_view head) {
  return head.size() >= 262 && head.substr(257, 5) == "ustar";
}

namespace {

// Entries up to this size that are not layers are kept: the JSON documents are kilobytes.
constexpr std::uint64_t kMaxKeptEntry = 16 << 20;
// All kept entries together.
constexpr std::uint64_t kMaxKeptBytes = 64 << 20;

struct ArchiveFree {
  void operator()(struct archive *a) const { archive_read_free(a); }
};

std::string archiveText(struct archive *a) {
  const char *message = archive_error_string(a);
  return message ? message : "unknown libarchive error";
}

// What the pass kept, by path inside the archive.
struct Contents {
  std::map<std::string, std::string> small;                // JSON and other small files
  std::map<std::string, llvm::Expected<LayerScan>> layers; // every tar entry, scanned
  std::map<std::string, std::string> links;                // symlinks and hard links
  std::uint64_t keptBytes = 0;

  // PATH with links followed (a bounded number of times).
  std::string follow(std::string path) const {
    for (int i = 0; i < 8; ++i) {
      auto link = links.find(path);
      if (link == links.end())
        break;
      path = link->second;
    }
    return path;
  }
};

class ArchivePass {
public:
  ArchivePass(const std::string &image, bool dependencies, const ImageSink &sink)
      : image_(image), dependencies_(dependencies), sink_(sink) {}

  // Reads every entry of A; false when the archive itself failed (reported).
  bool run(struct archive *a);
  Contents contents;
  std::string lastEntry; // where a truncated or corrupt archive stopped

private:
  void entry(struct archive *a, struct archive_entry *header, const std::string &path);

  const std::string &image_;
  bool dependencies_; // `read --deps`: layers scanned for the loader's resolution
  const ImageSink &sink_;
};

bool ArchivePass::run(struct archive *a) {
  for (std::size_t count = 0;; ++count) {
    struct archive_entry *header = nullptr;
    int status = archive_read_next_header(a, &header);
    if (status == ARCHIVE_EOF)
      return true;
    if (status < ARCHIVE_WARN) {
      std::string where = count ? "archive after entry '" + lastEntry + "': "
                                : std::string("not an image archive: ");
      sink_(inputProblem(image_, where + archiveText(a)));
      return false;
    }
    std::string path =
        resolveEntryPath(archive_entry_pathname(header) ? archive_entry_pathname(header) : "");
    entry(a, header, path);
    lastEntry = path;
  }
}

void ArchivePass::entry(struct archive *a, struct archive_entry *header, const std::string &path) {
  if (const char *target = archive_entry_hardlink(header)) {
    contents.links[path] = resolveEntryPath(target);
    return;
  }
  if (archive_entry_filetype(header) == AE_IFLNK) {
    const char *target = archive_entry_symlink(header);
    std::string dir = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
    std::string_view to = target ? target : "";
    contents.links[path] =
        resolveEntryPath(to.substr(0, 1) == "/" ? std::string(to) : dir + "/" + std::string(to));
    return;
  }
  if (archive_entry_filetype(header) != AE_IFREG)
    return;
  ArchiveDataStream stream(a, path, "archive", /*owned=*/false);
  auto head = readHead(stream, 512);
  if (!head) {
    contents.layers.emplace(path, head.takeError());
    return;
  }
  if (isTarHead(*head) || compressionOf(*head)) {
    std::string name = "blob " + path;
    contents.layers.emplace(
        path, scanLayer(name, headThenChunks(*head, chunksOf(stream)), dependencies_));
    return;
  }
  std::uint64_t size = archive_entry_size_is_set(header) ? archive_entry_size(header) : 0;
  if (size > kMaxKeptEntry || contents.keptBytes + size > kMaxKeptBytes)
    return;
  std::string bytes = *head;
  while (bytes.size() <= kMaxKeptEntry) {
    char buffer[65536];
    auto got = stream.read(reinterpret_cast<std::uint8_t *>(buffer), sizeof buffer);
    if (!got || *got == 0) {
      if (!got)
        llvm::consumeError(got.takeError()); // the next header read reports the archive's error
      break;
    }
    bytes.append(buffer, *got);
  }
  contents.keptBytes += bytes.size();
  contents.small[path] = std::move(bytes);
}

// The blob path of DIGEST inside an OCI archive.
std::string blobPath(const std::string &digest) { return "blobs/sha256/" + digest.substr(7); }

class ArchiveImages {
public:
  ArchiveImages(const std::string &image, Contents &contents, const ReadOptions &options,
                const ImageSink &sink)
      : image_(image), contents_(contents), options_(options), sink_(sink) {}

  void oci(const std::string &indexJson);
  void docker(const std::string &manifestJson);

private:
  // The scan of the layer at PATH, its digest checked against EXPECTED when given; null (the
  // error reported) when it is missing or bad.
  const LayerScan *layer(const std::string &path, const std::string &expected);
  llvm::Expected<std::string> small(const std::string &path, const std::string &name);

  const std::string &image_;
  Contents &contents_;
  const ReadOptions &options_;
  const ImageSink &sink_;
  std::map<std::string, const LayerScan *> byDigest_; // into contents_.layers
};

llvm::Expected<std::string> ArchiveImages::small(const std::string &path, const std::string &name) {
  auto found = contents_.small.find(contents_.follow(path));
  if (found == contents_.small.end())
    return inputError(image_, name + ": missing");
  return found->second;
}

const LayerScan *ArchiveImages::layer(const std::string &path, const std::string &expected) {
  std::string name = expected.empty() ? path : expected;
  auto found = contents_.layers.find(contents_.follow(path));
  if (found == contents_.layers.end()) {
    sink_(blobError(image_, name, "missing, or not a tar layer"));
    return nullptr;
  }
  if (!found->second) {
    sink_(blobError(image_, name, problemAbout(found->second.takeError(), "blob " + found->first)));
    found->second = LayerScan{}; // reported once; an empty digest then fails the check below
    return nullptr;
  }
  LayerScan &scan = *found->second;
  if (scan.digest.empty())
    return nullptr;
  if (!expected.empty() && scan.digest != expected) {
    sink_(blobError(image_, expected,
                    "digest mismatch (the blob's bytes hash to " + scan.digest + ")"));
    return nullptr;
  }
  return &scan;
}

void ArchiveImages::oci(const std::string &indexJson) {
  JsonBlobReader blob = [&](const std::string &digest) -> llvm::Expected<std::string> {
    auto bytes = small(blobPath(digest), "blob " + digest);
    if (!bytes)
      return bytes.takeError();
    std::string actual = sha256Of(*bytes);
    if (actual != digest)
      return inputError(image_, "blob " + digest + ": digest mismatch (the blob's bytes hash to " +
                                    actual + ")");
    return bytes;
  };
  std::vector<ResolvedImage> images = resolveOciImages(image_, indexJson, blob, options_, sink_);
  for (const ResolvedImage &resolved : images)
    for (const std::string &digest : resolved.layers)
      if (!byDigest_.count(digest))
        if (const LayerScan *scan = layer(blobPath(digest), digest))
          byDigest_.emplace(digest, scan);
  for (const ResolvedImage &resolved : images)
    reportImage(image_, resolved, byDigest_, options_, sink_);
}

void ArchiveImages::docker(const std::string &manifestJson) {
  auto images = parseDockerManifest(manifestJson, "manifest.json");
  if (!images) {
    sink_(inputProblem(image_,
                       "manifest.json: " + problemAbout(images.takeError(), "manifest.json")));
    return;
  }
  bool any = false;
  for (const DockerImage &docker : *images) {
    ResolvedImage resolved;
    if (!options_.imageRef.empty()) {
      if (std::find(docker.repoTags.begin(), docker.repoTags.end(), options_.imageRef) ==
          docker.repoTags.end())
        continue;
      resolved.ref = options_.imageRef;
    } else if (!docker.repoTags.empty()) {
      resolved.ref = docker.repoTags.front();
    }
    auto config = small(docker.config, "config " + docker.config);
    if (!config) {
      sink_(toPublicError(config.takeError()));
      continue;
    }
    // A docker archive has no manifest blob: its image ID, the config's digest, stands for it.
    resolved.manifestDigest = sha256Of(*config);
    auto platform = parsePlatform(*config, "config");
    if (!platform) {
      sink_(inputProblem(image_,
                         docker.config + ": " + problemAbout(platform.takeError(), "config")));
      continue;
    }
    resolved.platform = *platform;
    if (!platformMatches(resolved.platform, options_.imagePlatform))
      continue;
    any = true;
    bool complete = true;
    for (const std::string &path : docker.layers) {
      // "blobs/sha256/HEX" (docker 25's OCI-in-tar layout) names its digest; legacy paths do not.
      std::string followed = contents_.follow(resolveEntryPath(path));
      std::string expected;
      if (followed.rfind("blobs/sha256/", 0) == 0 &&
          isSha256Digest("sha256:" + followed.substr(13)))
        expected = "sha256:" + followed.substr(13);
      const LayerScan *scan = layer(resolveEntryPath(path), expected);
      if (!scan) {
        complete = false;
        break;
      }
      resolved.layers.push_back(scan->digest);
      byDigest_.emplace(scan->digest, scan);
    }
    if (complete)
      reportImage(image_, resolved, byDigest_, options_, sink_);
  }
  if (!any && (!options_.imageRef.empty() || !options_.imagePlatform.empty()))
    sink_(inputProblem(
        image_,
        "no image matches" + (options_.imageRef.empty() ? "" : " --ref " + options_.imageRef) +
            (options_.imagePlatform.empty() ? "" : " --platform " + options_.imagePlatform)));
}

} // namespace

void readImageArchive(const std::string &image, ChunkSource source, const ReadOptions &options,
                      const ImageSink &sink) {
  ArchiveInput input(image, std::move(source));
  std::unique_ptr<struct archive, ArchiveFree> archive(archive_read_new());
  if (!archive) {
    sink(inputProblem(image, "cannot set up the tar reader"));
    return;
  }
  struct archive *a = archive.get();
  archive_read_support_format_tar(a);
  if (input.open(a) != ARCHIVE_OK) {
    sink(inputProblem(image, "not an image archive: " + archiveText(a)));
    return;
  }
  ArchivePass pass(image, options.dependencies, sink);
  bool whole = pass.run(a);
  ArchiveImages images(image, pass.contents, options, sink);
  // docker 25 writes both: manifest.json names the RepoTags, index.json the OCI refs.
  if (pass.contents.small.count("manifest.json"))
    images.docker(pass.contents.small["manifest.json"]);
  else if (pass.contents.small.count("index.json"))
    images.oci(pass.contents.small["index.json"]);
  else if (whole)
    sink(inputProblem(image, "neither manifest.json nor index.json: not an image archive"));
}

} // namespace pkgnote::detail
