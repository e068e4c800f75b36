// SPDX-License-Identifier: MIT
// image_resolve.h.
#include "image/image_resolve.h"

#include "image/image_json.h"
#include "image/image_root.h"
#include "image/overlay.h"
#include "io/byte_source.h"
#include "resolve/loader_search.h"

namespace pkgnote::detail {

Error blobError(const std::string &image, const std::string &digest, const std::string &message) {
  return inputProblem(image, "blob " + digest + ": " + message);
}

namespace {

// Nested indexes deeper than this are refused: a hostile layout could make a cycle.
constexpr unsigned kMaxIndexDepth = 8;

struct Resolver {
  const std::string &image;
  const JsonBlobReader &blob;
  const ReadOptions &options;
  const ImageSink &errors;
  std::vector<ResolvedImage> out;

  void fail(llvm::Error error) { errors(toPublicError(std::move(error))); }
  // A parser's error on blob DIGEST (parsed under the name "blob").
  void failBlob(llvm::Error error, const std::string &digest) {
    errors(blobError(image, digest, problemAbout(std::move(error), "blob")));
  }

  void index(const std::vector<Descriptor> &manifests, const std::string &ref, unsigned depth) {
    for (const Descriptor &entry : manifests) {
      std::string entryRef = entry.ref.empty() ? ref : entry.ref;
      if (!options.imageRef.empty() && entryRef != options.imageRef)
        continue;
      if (!entry.platform.empty() && !platformMatches(entry.platform, options.imagePlatform))
        continue;
      auto bytes = blob(entry.digest);
      if (!bytes) {
        fail(bytes.takeError());
        continue;
      }
      if (entry.isIndex()) {
        if (depth >= kMaxIndexDepth) {
          errors(blobError(image, entry.digest, "indexes nested too deep"));
          continue;
        }
        auto nested = parseIndex(*bytes, "blob");
        if (!nested) {
          failBlob(nested.takeError(), entry.digest);
          continue;
        }
        index(*nested, entryRef, depth + 1);
        continue;
      }
      manifest(entry, *bytes, entryRef);
    }
  }

  void manifest(const Descriptor &entry, const std::string &bytes, const std::string &ref) {
    auto parsed = parseManifest(bytes, "blob");
    if (!parsed)
      return failBlob(parsed.takeError(), entry.digest);
    ResolvedImage resolved{ref, entry.platform, entry.digest, {}};
    if (resolved.platform.empty()) {
      auto config = blob(parsed->config.digest);
      if (!config)
        return fail(config.takeError());
      auto platform = parsePlatform(*config, "blob");
      if (!platform)
        return failBlob(platform.takeError(), parsed->config.digest);
      resolved.platform = *platform;
      if (!platformMatches(resolved.platform, options.imagePlatform))
        return;
    }
    for (const Descriptor &layer : parsed->layers)
      resolved.layers.push_back(layer.digest);
    out.push_back(std::move(resolved));
  }
};

} // namespace

std::vector<ResolvedImage> resolveOciImages(const std::string &image, std::string_view indexJson,
                                            const JsonBlobReader &blob, const ReadOptions &options,
                                            const ImageSink &errors) {
  Resolver resolver{image, blob, options, errors, {}};
  auto manifests = parseIndex(indexJson, "index.json");
  if (!manifests) {
    errors(inputProblem(image, "index.json: " + problemAbout(manifests.takeError(), "index.json")));
    return {};
  }
  resolver.index(*manifests, "", 0);
  if (resolver.out.empty() && (!options.imageRef.empty() || !options.imagePlatform.empty()))
    errors(inputProblem(
        image, "no image matches" + (options.imageRef.empty() ? "" : " --ref " + options.imageRef) +
                   (options.imagePlatform.empty() ? "" : " --platform " + options.imagePlatform)));
  return resolver.out;
}

void reportImage(const std::string &image, const ResolvedImage &resolved,
                 const std::map<std::string, const LayerScan *> &scans, const ReadOptions &options,
                 const ImageSink &sink) {
  std::vector<const LayerScan *> layers;
  for (const std::string &digest : resolved.layers) {
    auto found = scans.find(digest);
    if (found == scans.end())
      return; // the layer's own error was reported when it was read
    layers.push_back(found->second);
  }
  if (options.imageStarted)
    options.imageStarted(
        ImageOrigin{image, resolved.ref, resolved.platform, "", resolved.manifestDigest});
  // `read --deps`: each file's libraries are looked up in this image's final filesystem.
  FinalTree tree;
  std::vector<FinalFile> files =
      stackLayers(layers, options.dependencies ? &tree : nullptr, /*reportableOnly=*/true);
  ImageRoot root(tree);
  LoaderSearch search(root);
  for (const FinalFile &file : files) {
    const LayerEntry &entry = *file.entry;
    if (!entry.error.empty()) {
      sink(inputProblem(image, "/" + file.path + ": " + entry.error));
      continue;
    }
    if (!entry.report)
      continue; // not ELF
    FileReport report = *entry.report;
    report.path = "/" + file.path;
    report.image = ImageOrigin{image, resolved.ref, resolved.platform, resolved.layers[file.layer],
                               resolved.manifestDigest};
    if (options.dependencies)
      search.resolve(report.path, report);
    sink(std::optional<FileReport>(std::move(report)));
  }
}

} // namespace pkgnote::detail
