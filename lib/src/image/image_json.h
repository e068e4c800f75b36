// SPDX-License-Identifier: MIT
// The JSON documents of a container image, parsed with nlohmann: an OCI index (index.json or a
// nested index blob), an OCI image manifest, an image config (its platform), and a docker
// archive's manifest.json. Only the fields the reader needs are kept; a document that is not
// what its place says is an error naming the field.
#pragma once

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote::detail {

// An OCI content descriptor.
struct Descriptor {
  std::string mediaType;
  std::string digest;   // "sha256:<64 hex>", checked to be that form
  std::string platform; // "os/arch[/variant]" from the descriptor's platform, or empty
  std::string ref;      // org.opencontainers.image.ref.name, or empty
  bool isIndex() const;
};

// An index's manifests. WHAT names the document in messages ("index.json").
llvm::Expected<std::vector<Descriptor>> parseIndex(std::string_view json, const std::string &what);

// An image manifest's layers, in order (bottom first), and its config.
struct ImageManifest {
  Descriptor config;
  std::vector<Descriptor> layers;
};
llvm::Expected<ImageManifest> parseManifest(std::string_view json, const std::string &what);

// "os/arch[/variant]" from an image config; empty when it says none.
llvm::Expected<std::string> parsePlatform(std::string_view json, const std::string &what);

// One image of a docker archive's manifest.json: paths inside the archive.
struct DockerImage {
  std::string config;
  std::vector<std::string> repoTags;
  std::vector<std::string> layers;
};
llvm::Expected<std::vector<DockerImage>> parseDockerManifest(std::string_view json,
                                                             const std::string &what);

// Whether TEXT is "sha256:" and 64 lowercase hex digits.
bool isSha256Digest(std::string_view text);

// Whether PLATFORM ("linux/arm64/v8") is selected by WANTED ("linux/arm64" or the same); an empty
// WANTED selects everything.
bool platformMatches(std::string_view platform, std::string_view wanted);

} // namespace pkgnote::detail
