// SPDX-License-Identifier: MIT
// image_json.h. nlohmann's exceptions are caught here, where they arise, and become messages.
#include "image/image_json.h"

#include "io/byte_source.h"

#include <nlohmann/json.hpp>

namespace pkgnote::detail {
namespace {

using nlohmann::json;

llvm::Expected<json> parse(std::string_view text, const std::string &what) {
  json document = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded())
    return inputError(what, "not valid JSON");
  if (!document.is_object() && !document.is_array())
    return inputError(what, "not a JSON object");
  return document;
}

std::string stringAt(const json &object, const char *key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string())
    return {};
  return found->get<std::string>();
}

std::string platformOf(const json &object) {
  if (!object.is_object())
    return {};
  std::string os = stringAt(object, "os"), arch = stringAt(object, "architecture");
  if (os.empty() && arch.empty())
    return {};
  std::string platform = os + "/" + arch;
  std::string variant = stringAt(object, "variant");
  if (!variant.empty())
    platform += "/" + variant;
  return platform;
}

llvm::Expected<Descriptor> descriptorOf(const json &entry, const std::string &what) {
  if (!entry.is_object())
    return inputError(what, "a descriptor is not a JSON object");
  Descriptor descriptor;
  descriptor.mediaType = stringAt(entry, "mediaType");
  descriptor.digest = stringAt(entry, "digest");
  if (!isSha256Digest(descriptor.digest))
    return inputError(what, "descriptor digest '" + descriptor.digest +
                                "' is not sha256:<64 lowercase hex digits>");
  if (auto platform = entry.find("platform"); platform != entry.end())
    descriptor.platform = platformOf(*platform);
  if (auto annotations = entry.find("annotations");
      annotations != entry.end() && annotations->is_object())
    descriptor.ref = stringAt(*annotations, "org.opencontainers.image.ref.name");
  return descriptor;
}

llvm::Expected<std::vector<Descriptor>> descriptorsAt(const json &document, const char *key,
                                                      const std::string &what) {
  auto list = document.find(key);
  if (list == document.end() || !list->is_array())
    return inputError(what, std::string("no \"") + key + "\" list");
  std::vector<Descriptor> out;
  for (const json &entry : *list) {
    auto descriptor = descriptorOf(entry, what);
    if (!descriptor)
      return descriptor.takeError();
    out.push_back(std::move(*descriptor));
  }
  return out;
}

} // namespace

bool Descriptor::isIndex() const {
  return mediaType == "application/vnd.oci.image.index.v1+json" ||
         mediaType == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool isSha256Digest(std::string_view text) {
  constexpr std::string_view prefix = "sha256:";
  if (text.size() != prefix.size() + 64 || text.substr(0, prefix.size()) != prefix)
    return false;
  for (char c : text.substr(prefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

bool platformMatches(std::string_view platform, std::string_view wanted) {
  if (wanted.empty() || platform == wanted)
    return true;
  // "linux/arm64" selects "linux/arm64/v8": the variant is optional in the selection.
  return platform.size() > wanted.size() && platform.substr(0, wanted.size()) == wanted &&
         platform[wanted.size()] == '/';
}

llvm::Expected<std::vector<Descriptor>> parseIndex(std::string_view text, const std::string &what) {
  auto document = parse(text, what);
  if (!document)
    return document.takeError();
  if (!document->is_object())
    return inputError(what, "not a JSON object");
  return descriptorsAt(*document, "manifests", what);
}

llvm::Expected<ImageManifest> parseManifest(std::string_view text, const std::string &what) {
  auto document = parse(text, what);
  if (!document)
    return document.takeError();
  if (!document->is_object())
    return inputError(what, "not a JSON object");
  auto config = document->find("config");
  if (config == document->end())
    return inputError(what, "no \"config\"");
  ImageManifest manifest;
  auto configDescriptor = descriptorOf(*config, what);
  if (!configDescriptor)
    return configDescriptor.takeError();
  manifest.config = std::move(*configDescriptor);
  auto layers = descriptorsAt(*document, "layers", what);
  if (!layers)
    return layers.takeError();
  manifest.layers = std::move(*layers);
  return manifest;
}

llvm::Expected<std::string> parsePlatform(std::string_view text, const std::string &what) {
  auto document = parse(text, what);
  if (!document)
    return document.takeError();
  return platformOf(*document);
}

llvm::Expected<std::vector<DockerImage>> parseDockerManifest(std::string_view text,
                                                             const std::string &what) {
  auto document = parse(text, what);
  if (!document)
    return document.takeError();
  if (!document->is_array())
    return inputError(what, "not a JSON array");
  std::vector<DockerImage> images;
  for (const json &entry : *document) {
    if (!entry.is_object())
      return inputError(what, "an image is not a JSON object");
    DockerImage image;
    image.config = stringAt(entry, "Config");
    auto layers = entry.find("Layers");
    if (image.config.empty() || layers == entry.end() || !layers->is_array())
      return inputError(what, "an image has no \"Config\" or no \"Layers\" list");
    for (const json &layer : *layers) {
      if (!layer.is_string())
        return inputError(what, "a layer is not a string");
      image.layers.push_back(layer.get<std::string>());
    }
    if (auto tags = entry.find("RepoTags"); tags != entry.end() && tags->is_array())
      for (const json &tag : *tags)
        if (tag.is_string())
          image.repoTags.push_back(tag.get<std::string>());
    images.push_back(std::move(image));
  }
  return images;
}

} // namespace pkgnote::detail
