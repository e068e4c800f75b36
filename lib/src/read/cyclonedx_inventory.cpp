// SPDX-License-Identifier: MIT
// Gathers the inventory of a CycloneDX document (cyclonedx_inventory.h). A "distinct package
// note" is a distinct set of key/value pairs: two files whose notes differ in any key (say
// debugInfoUrl) are two components, so that no key is lost.
#include "cyclonedx_inventory.h"

#include <algorithm>

namespace pkgnote::cyclonedx {

Fields sortedFields(const PackageMetadata &metadata) {
  Fields fields = metadata.fields;
  std::sort(fields.begin(), fields.end());
  return fields;
}

std::optional<ImageKey> imageKeyOf(const FileReport &report) {
  if (!report.image)
    return std::nullopt;
  const ImageOrigin &origin = *report.image;
  return ImageKey{origin.image, origin.ref, origin.platform, origin.manifestDigest};
}

namespace {

std::string imageContext(const ImageOrigin &origin) {
  std::string context = "image '" + origin.image + "'";
  if (!origin.ref.empty())
    context += " ref " + origin.ref;
  if (!origin.platform.empty())
    context += " platform " + origin.platform;
  if (!origin.layer.empty())
    context += " layer " + origin.layer;
  return context;
}

} // namespace

Occurrence occurrenceOf(const FileReport &report) {
  return Occurrence{report.path, report.image ? imageContext(*report.image) : ""};
}

namespace {

class Collector {
public:
  void addFile(const FileReport &report) {
    std::optional<ImageKey> image = imageKeyOf(report);
    if (image)
      inventory_.images.insert(*image);
    if (report.kind == ElfKind::Core) {
      for (const ModuleReport &module : report.modules)
        addModule(module, "core '" + report.path + "'");
      return;
    }
    Occurrence occurrence = occurrenceOf(report);
    for (const PackageNote &note : report.packages)
      addPackage(note.metadata, occurrence, image);
    if (report.packages.empty())
      inventory_.unstampedFiles.insert(
          {occurrence,
           report.format == FileFormat::Pe ? report.peType : std::string(elfKindName(report.kind)),
           report.elfArchitecture, report.buildId, std::string(fileFormatName(report.format)),
           image});
  }

  void addGroup(const ModuleGroup &group) {
    for (const ModuleReport &module : group.modules)
      addModule(module, group.context);
  }

  Inventory finish() && {
    // One OS per ID and version: notes that name it by os/osVersion and others by osCpe (or by
    // two spellings of its CPE) share the component, with the first CPE in sorted order.
    std::map<std::pair<std::string, std::string>, std::string> cpes;
    for (const auto &[fields, package] : packages_)
      if (package.os) {
        std::string &cpe = cpes[osKey(*package.os)];
        if (cpe.empty() || (!package.os->cpe.empty() && package.os->cpe < cpe))
          cpe = package.os->cpe;
      }
    for (auto &[fields, package] : packages_) {
      if (package.os) {
        package.os->cpe = cpes[osKey(*package.os)];
        inventory_.systems.push_back(*package.os);
      }
      inventory_.packages.push_back(std::move(package));
    }
    std::sort(inventory_.systems.begin(), inventory_.systems.end());
    inventory_.systems.erase(std::unique(inventory_.systems.begin(), inventory_.systems.end()),
                             inventory_.systems.end());
    // By purl; packages_ was ordered by fields, and stable_sort keeps that order among equals.
    std::stable_sort(inventory_.packages.begin(), inventory_.packages.end(),
                     [](const Package &a, const Package &b) { return purlText(a) < purlText(b); });
    return std::move(inventory_);
  }

private:
  // An OS without an ID (its osCpe is no CPE pkgnote can read) is known by its CPE alone.
  static std::pair<std::string, std::string> osKey(const PackageOs &os) {
    return os.id.empty() ? std::make_pair(std::string(), os.cpe)
                         : std::make_pair(os.id, os.version);
  }

  static std::string purlText(const Package &package) {
    return package.purl ? toString(*package.purl) : std::string();
  }

  void addModule(const ModuleReport &module, const std::string &context) {
    Occurrence occurrence{module.path, context};
    if (module.package)
      addPackage(*module.package, occurrence, std::nullopt);
    for (const PackageMetadata &extra : module.extraPackages)
      addPackage(extra, occurrence, std::nullopt);
    if (!module.package)
      inventory_.unstampedFiles.insert(
          {occurrence, "module", module.elfArchitecture, module.buildId, "elf", std::nullopt});
  }

  void addPackage(const PackageMetadata &metadata, const Occurrence &occurrence,
                  const std::optional<ImageKey> &image) {
    auto [it, inserted] = packages_.try_emplace(sortedFields(metadata));
    Package &package = it->second;
    if (inserted) {
      package.metadata = metadata;
      package.purl = packageUrlOf(metadata);
      package.os = osOfPackage(metadata);
    }
    package.occurrences.insert(occurrence);
    if (image)
      package.images.insert(*image);
  }

  std::map<Fields, Package> packages_;
  Inventory inventory_;
};

} // namespace

Inventory inventoryOf(const std::vector<FileReport> &reports,
                      const std::vector<ModuleGroup> &groups) {
  Collector collector;
  for (const FileReport &report : reports)
    collector.addFile(report);
  for (const ModuleGroup &group : groups)
    collector.addGroup(group);
  return std::move(collector).finish();
}

} // namespace pkgnote::cyclonedx
