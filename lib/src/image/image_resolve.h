// SPDX-License-Identifier: MIT
// From an image's index to the images it holds, and from an image's stacked layers to reports:
// the part shared by the layout directory (oci_layout.cpp) and the archives (image_archive.cpp),
// which differ only in where a blob's bytes come from.
#pragma once

#include "image/layer_scan.h"
#include "pkgnote/elf_reader.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pkgnote::detail {

// What the reader hands back, in order: a file's report, or an error naming the image and blob.
using ImageSink = std::function<void(Result<std::optional<FileReport>>)>;

// A JSON blob's bytes, its digest checked; an error naming the blob when it is missing or does
// not match.
using JsonBlobReader = std::function<llvm::Expected<std::string>(const std::string &digest)>;

// One image to report: its layers by digest, bottom first.
struct ResolvedImage {
  std::string ref;            // from the index entry it was reached through, or a RepoTag
  std::string platform;       // from that entry, else from the config
  std::string manifestDigest; // empty for a legacy docker archive (no manifest blob)
  std::vector<std::string> layers;
};

// The images INDEXJSON (a layout's index.json) leads to, nested indexes followed, that OPTIONS'
// imageRef and imagePlatform select. Errors (a bad or missing blob) go to ERRORS; the other
// images are still returned.
std::vector<ResolvedImage> resolveOciImages(const std::string &image, std::string_view indexJson,
                                            const JsonBlobReader &blob, const ReadOptions &options,
                                            const ImageSink &errors);

// Reports the ELF files of IMAGE's final filesystem to SINK; SCANS points at its layers' scans by
// digest (a missing one is an error: the layer could not be read). Pointers: a layer's scan may
// hold a million entries, and is never copied.
// OPTIONS.imageStarted, when set, hears of the image first.
void reportImage(const std::string &image, const ResolvedImage &resolved,
                 const std::map<std::string, const LayerScan *> &scans, const ReadOptions &options,
                 const ImageSink &sink);

// "'IMAGE': blob DIGEST: MESSAGE".
Error blobError(const std::string &image, const std::string &digest, const std::string &message);

} // namespace pkgnote::detail
