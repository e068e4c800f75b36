// SPDX-License-Identifier: MIT
// What a CycloneDX document lists, gathered from read's reports before any JSON is built: the
// distinct package notes with the files that carry them, the operating systems they name, the
// ELF files without a note, the container images. Everything is sorted, so that the document is
// the same bytes whatever order the inputs were read in.
#pragma once

#include "pkgnote/cyclonedx.h"
#include "pkgnote/elf_report.h"
#include "pkgnote/purl.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace pkgnote::cyclonedx {

// Where a file was found: its path (inside the image, for an image; the module's path, for a
// core) and what contains it ("image 'IMG' ref R platform P layer L", "core 'PATH'"), if anything.
struct Occurrence {
  std::string location, context;
  bool operator<(const Occurrence &other) const {
    return std::tie(location, context) < std::tie(other.location, other.context);
  }
};

// An image, as ImageOrigin names it less the layer (which varies from file to file).
struct ImageKey {
  std::string image, ref, platform, manifestDigest;
  bool operator<(const ImageKey &other) const {
    return std::tie(image, ref, platform, manifestDigest) <
           std::tie(other.image, other.ref, other.platform, other.manifestDigest);
  }
};

struct Package {
  PackageMetadata metadata; // as the first file read carries it (the order of keys may differ)
  std::optional<PackageUrl> purl;
  std::optional<PackageOs> os;
  std::set<Occurrence> occurrences;
  std::set<ImageKey> images; // the images it was found in
};

struct UnstampedFile {
  Occurrence occurrence;
  // PE: elfType holds the peType and elfArchitecture the machine (properties pkgnote:peType,
  // pkgnote:machine); format is "elf" or "pe".
  std::string elfType, elfArchitecture, buildId, format = "elf";
  std::optional<ImageKey> image;
  bool operator<(const UnstampedFile &other) const {
    return std::tie(occurrence, buildId) < std::tie(other.occurrence, other.buildId);
  }
};

struct Inventory {
  std::vector<Package> packages; // by purl, then by the note's fields
  std::vector<PackageOs> systems;
  std::set<UnstampedFile> unstampedFiles;
  std::set<ImageKey> images;
};

Inventory inventoryOf(const std::vector<FileReport> &reports,
                      const std::vector<ModuleGroup> &groups = {});

// The pieces inventoryOf keys things by, for the dependency graph (cyclonedx_dependencies.h).
using Fields = std::vector<std::pair<std::string, std::string>>;
Fields sortedFields(const PackageMetadata &metadata);
std::optional<ImageKey> imageKeyOf(const FileReport &report);
Occurrence occurrenceOf(const FileReport &report);

} // namespace pkgnote::cyclonedx
