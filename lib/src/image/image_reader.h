// SPDX-License-Identifier: MIT
// Reading the ELF files of a container image's final filesystem: an OCI image layout directory
// (its layers scanned in parallel, each from its blob file), or an OCI or docker archive read in
// one forward pass (every layer scanned as it goes by, the overlay resolved once the manifests,
// which may come last, are read). Reports and errors go to the sink in order; an image whose
// blobs are bad still has its other images reported.
#pragma once

#include "image/image_resolve.h"
#include "io/forward_stream.h"

#include <string>

namespace pkgnote::detail {

// Whether DIRECTORY holds an OCI image layout (an `oci-layout` file and `index.json`).
bool isImageLayout(const std::string &directory);

// The images of the layout directory DIRECTORY; IMAGE names it in messages and reports.
void readImageLayout(const std::string &directory, const std::string &image,
                     const ReadOptions &options, const ImageSink &sink);

// The images of the archive whose bytes SOURCE gives once (a tar, plain or compressed).
void readImageArchive(const std::string &image, ChunkSource source, const ReadOptions &options,
                      const ImageSink &sink);

// "sha256:..." of BYTES.
std::string sha256Of(std::string_view bytes);

// Whether HEAD (a file's first 512 bytes, decompressed) starts a tar archive.
bool isTarHead(std::string_view head);

} // namespace pkgnote::detail
