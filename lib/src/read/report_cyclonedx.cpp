// SPDX-License-Identifier: MIT
// The CycloneDX 1.6 document of a run (cyclonedx.h), built with nlohmann::ordered_json from the
// sorted inventory (cyclonedx_inventory.h): members are inserted in a fixed order and every list
// is sorted, so the same reports give the same bytes. Property names carry a "pkgnote:" prefix,
// as CycloneDX's property taxonomy asks of tools.
#include "pkgnote/cyclonedx.h"

#include "cyclonedx_dependencies.h"
#include "cyclonedx_inventory.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA1.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <map>
#include <random>
#include <set>

namespace pkgnote {
namespace {

using Json = nlohmann::ordered_json;
using namespace cyclonedx;

// The keys a component shows in its own fields (name, version, purl, cpe, the OS component,
// the external reference); every other key of a note becomes a property.
bool shownInComponent(const std::string &key) {
  static const std::set<std::string> kShown = {"name", "version",   "architecture", "osCpe",
                                               "os",   "osVersion", "appCpe",       "debugInfoUrl"};
  return kShown.count(key) != 0;
}

Json property(const std::string &name, const std::string &value) {
  return Json{{"name", name}, {"value", value}};
}

// bom-refs must be unique in a document; a clash (two notes with the same purl that differ in
// another key, two paths that differ only in bytes that are not UTF-8) gets "#2", "#3", ... in
// sorted order. Bad UTF-8 is replaced before the check, as the document's dump replaces it.
class BomRefs {
public:
  std::string claim(const std::string &base) {
    std::string valid = Json::parse(Json(base).dump(-1, ' ', false, Json::error_handler_t::replace))
                            .get<std::string>();
    std::string ref = valid;
    for (int n = 2; !used_.insert(ref).second; ++n)
      ref = valid + "#" + std::to_string(n);
    return ref;
  }

private:
  std::set<std::string> used_;
};

std::string osBomRef(const PackageOs &os) {
  if (os.id.empty())
    return "os:" + os.cpe;
  return "os:" + os.id + (os.version.empty() ? "" : "@" + os.version);
}

Json osComponent(const PackageOs &os, const std::string &ref) {
  Json component = {{"type", "operating-system"}, {"bom-ref", ref}};
  component["name"] = os.id.empty() ? os.cpe : os.id;
  if (!os.version.empty())
    component["version"] = os.version;
  if (!os.cpe.empty())
    component["cpe"] = os.cpe;
  return component;
}

Json occurrencesJson(const std::set<Occurrence> &occurrences) {
  Json list = Json::array();
  for (const Occurrence &occurrence : occurrences) {
    Json entry = {{"location", occurrence.location}};
    if (!occurrence.context.empty())
      entry["additionalContext"] = occurrence.context;
    list.push_back(std::move(entry));
  }
  return list;
}

Json packageComponent(const Package &package, const std::string &ref) {
  const PackageMetadata &note = package.metadata;
  Json component = {{"type", "library"}, {"bom-ref", ref}};
  const std::string *name = note.name();
  component["name"] = name && !name->empty() ? *name : std::string("(unnamed)");
  if (const std::string *version = note.version())
    component["version"] = *version;
  if (const std::string *appCpe = note.find("appCpe"))
    component["cpe"] = *appCpe;
  if (package.purl)
    component["purl"] = toString(*package.purl);
  if (const std::string *url = note.find("debugInfoUrl"))
    component["externalReferences"] =
        Json::array({{{"type", "other"}, {"url", *url}, {"comment", "debuginfod server"}}});
  Json properties = Json::array();
  std::vector<std::pair<std::string, std::string>> fields = note.fields;
  std::sort(fields.begin(), fields.end());
  for (const auto &[key, value] : fields)
    if (!shownInComponent(key))
      properties.push_back(property("pkgnote:package:" + key, value));
  if (!properties.empty())
    component["properties"] = std::move(properties);
  component["evidence"] = {{"occurrences", occurrencesJson(package.occurrences)}};
  return component;
}

std::string fileBomRef(const UnstampedFile &file) {
  return "file:" + (file.occurrence.context.empty() ? "" : file.occurrence.context + ":") +
         file.occurrence.location;
}

Json fileComponent(const UnstampedFile &file, const std::string &ref) {
  Json component = {{"type", "file"}, {"bom-ref", ref}, {"name", file.occurrence.location}};
  Json properties = Json::array();
  if (!file.buildId.empty())
    properties.push_back(property("pkgnote:buildId", file.buildId));
  bool pe = file.format == "pe";
  properties.push_back(property("pkgnote:format", file.format));
  properties.push_back(property(pe ? "pkgnote:peType" : "pkgnote:elfType", file.elfType));
  if (!file.elfArchitecture.empty())
    properties.push_back(
        property(pe ? "pkgnote:machine" : "pkgnote:elfArchitecture", file.elfArchitecture));
  if (!file.occurrence.context.empty())
    properties.push_back(property("pkgnote:foundIn", file.occurrence.context));
  component["properties"] = std::move(properties);
  component["evidence"] = {{"occurrences", occurrencesJson({file.occurrence})}};
  return component;
}

std::string imageBomRef(const ImageKey &image) {
  return "image:" + (image.ref.empty() ? image.image : image.ref) + "@" + image.manifestDigest +
         (image.platform.empty() ? "" : "?" + image.platform);
}

Json imageComponent(const ImageKey &image, const std::string &ref) {
  Json component = {{"type", "container"}, {"bom-ref", ref}};
  component["name"] = image.ref.empty() ? image.image : image.ref;
  if (!image.manifestDigest.empty())
    component["version"] = image.manifestDigest;
  Json properties = Json::array({property("pkgnote:image", image.image)});
  if (!image.platform.empty())
    properties.push_back(property("pkgnote:platform", image.platform));
  component["properties"] = std::move(properties);
  return component;
}

// What the document holds besides its header, and the dependencies between its parts.
struct Body {
  Json imageComponent; // null unless there is exactly one image: metadata.component
  Json components = Json::array();
  Json dependencies = Json::array();
};

// Adds the graph's properties of REF to COMPONENT's, sorted after its own.
void addGraphProperties(Json &component, const DependencyGraph &graph, const std::string &ref) {
  auto found = graph.properties.find(ref);
  if (found == graph.properties.end())
    return;
  Json &properties = component["properties"];
  if (properties.is_null())
    properties = Json::array();
  for (const auto &[name, value] : found->second)
    properties.push_back(property(name, value));
  // "evidence" stays last, where packageComponent and fileComponent put it.
  if (component.contains("evidence")) {
    Json evidence = std::move(component["evidence"]);
    component.erase("evidence");
    component["evidence"] = std::move(evidence);
  }
}

Json dependencyOf(const std::string &ref, std::set<std::string> dependsOn,
                  const DependencyGraph &graph) {
  auto edges = graph.dependsOn.find(ref);
  if (edges != graph.dependsOn.end())
    dependsOn.insert(edges->second.begin(), edges->second.end());
  Json dependency = {{"ref", ref}};
  if (!dependsOn.empty())
    dependency["dependsOn"] = Json::array_t(dependsOn.begin(), dependsOn.end());
  return dependency;
}

Body bodyOf(const Inventory &inventory, const std::vector<FileReport> &reports) {
  Body body;
  BomRefs refs;
  // Every bom-ref first, in the order that numbers clashes ("#2") the same in every run.
  std::map<ImageKey, std::string> imageRefs;
  std::map<ImageKey, std::set<std::string>> imageContents;
  for (const ImageKey &image : inventory.images)
    imageRefs[image] = refs.claim(imageBomRef(image));
  std::map<PackageOs, std::string> osRefs;
  for (const PackageOs &os : inventory.systems)
    osRefs[os] = refs.claim(osBomRef(os));
  std::vector<std::string> packageRefs;
  std::map<Fields, std::string> refByFields;
  for (const Package &package : inventory.packages) {
    packageRefs.push_back(refs.claim(package.purl ? toString(*package.purl) : "package:(unnamed)"));
    refByFields[sortedFields(package.metadata)] = packageRefs.back();
  }
  std::vector<std::string> fileRefs;
  std::map<Occurrence, std::string> refByOccurrence;
  for (const UnstampedFile &file : inventory.unstampedFiles) {
    fileRefs.push_back(refs.claim(fileBomRef(file)));
    refByOccurrence.emplace(file.occurrence, fileRefs.back());
  }
  DependencyGraph graph =
      dependencyGraph(reports, [&](const FileReport &report) -> std::optional<std::string> {
        if (!report.packages.empty()) {
          auto found = refByFields.find(sortedFields(report.packages.front().metadata));
          return found == refByFields.end() ? std::nullopt : std::optional(found->second);
        }
        auto found = refByOccurrence.find(occurrenceOf(report));
        return found == refByOccurrence.end() ? std::nullopt : std::optional(found->second);
      });

  for (const PackageOs &os : inventory.systems) {
    body.components.push_back(osComponent(os, osRefs[os]));
    body.dependencies.push_back({{"ref", osRefs[os]}});
  }
  for (std::size_t i = 0; i < inventory.packages.size(); ++i) {
    const Package &package = inventory.packages[i];
    const std::string &ref = packageRefs[i];
    Json component = packageComponent(package, ref);
    addGraphProperties(component, graph, ref);
    body.components.push_back(std::move(component));
    std::set<std::string> dependsOn;
    if (package.os)
      dependsOn.insert(osRefs.at(*package.os));
    body.dependencies.push_back(dependencyOf(ref, dependsOn, graph));
    for (const ImageKey &image : package.images)
      imageContents[image].insert(ref);
  }
  if (inventory.images.size() > 1)
    for (const auto &[image, ref] : imageRefs)
      body.components.push_back(imageComponent(image, ref));
  std::size_t i = 0;
  for (const UnstampedFile &file : inventory.unstampedFiles) {
    const std::string &ref = fileRefs[i++];
    Json component = fileComponent(file, ref);
    addGraphProperties(component, graph, ref);
    body.components.push_back(std::move(component));
    if (graph.dependsOn.count(ref))
      body.dependencies.push_back(dependencyOf(ref, {}, graph));
    if (file.image)
      imageContents[*file.image].insert(ref);
  }
  for (const auto &[image, ref] : imageRefs) {
    const std::set<std::string> &contents = imageContents[image];
    body.dependencies.push_back(
        {{"ref", ref}, {"dependsOn", Json::array_t(contents.begin(), contents.end())}});
  }
  if (inventory.images.size() == 1)
    body.imageComponent = imageComponent(imageRefs.begin()->first, imageRefs.begin()->second);
  return body;
}

std::string isoTimestamp(std::int64_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string uuidText(std::array<std::uint8_t, 16> bytes, unsigned version) {
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0f) | (version << 4));
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3f) | 0x80); // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "urn:uuid:";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0xf];
  }
  return text;
}

// RFC 4122 version 5: SHA-1 of a namespace UUID (here the URL namespace) and the name.
std::string nameBasedUuid(const std::string &name) {
  static constexpr std::uint8_t kNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  llvm::SHA1 sha1;
  sha1.update(llvm::ArrayRef<std::uint8_t>(kNamespace));
  sha1.update(name);
  llvm::StringRef digest = sha1.final();
  std::array<std::uint8_t, 16> bytes;
  std::copy_n(digest.bytes_begin(), bytes.size(), bytes.begin());
  return uuidText(bytes, 5);
}

std::string randomUuid() {
  std::random_device device;
  std::array<std::uint8_t, 16> bytes;
  for (std::uint8_t &byte : bytes)
    byte = static_cast<std::uint8_t>(device());
  return uuidText(bytes, 4);
}

std::string dump(const Json &json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// REPORTS give the dependency edges (`read --deps`); a process listing has none.
std::string documentOf(const Inventory &inventory, const std::vector<FileReport> &reports,
                       const CycloneDxOptions &options) {
  Body body = bodyOf(inventory, reports);
  Json metadata = {{"timestamp", isoTimestamp(options.timestamp)}};
  metadata["tools"] = {{"components", Json::array({{{"type", "application"},
                                                    {"name", "pkgnote"},
                                                    {"version", options.toolVersion}}})}};
  if (!body.imageComponent.is_null())
    metadata["component"] = std::move(body.imageComponent);

  auto document = [&](const std::string *serial) {
    Json bom = {{"$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json"},
                {"bomFormat", "CycloneDX"},
                {"specVersion", "1.6"}};
    if (serial)
      bom["serialNumber"] = *serial;
    bom["version"] = 1;
    bom["metadata"] = metadata;
    bom["components"] = body.components;
    bom["dependencies"] = body.dependencies;
    return bom;
  };
  std::string serial = options.reproducible ? nameBasedUuid(dump(document(nullptr))) : randomUuid();
  return dump(document(&serial));
}

} // namespace

std::string reportsToCycloneDx(const std::vector<FileReport> &reports,
                               const CycloneDxOptions &options) {
  return documentOf(inventoryOf(reports), reports, options);
}

std::string modulesToCycloneDx(const std::vector<ModuleGroup> &groups,
                               const CycloneDxOptions &options) {
  return documentOf(inventoryOf({}, groups), {}, options);
}

Result<std::optional<std::int64_t>> parseSourceDateEpoch(const char *value) {
  if (!value || !*value)
    return std::optional<std::int64_t>();
  constexpr std::int64_t kLast = 253402300799; // 9999-12-31T23:59:59Z, the last ISO 8601 year
  std::string text(value);
  bool digits =
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  errno = 0;
  long long seconds = digits ? std::strtoll(text.c_str(), nullptr, 10) : -1;
  if (!digits || errno == ERANGE || seconds > kLast)
    return Error{"SOURCE_DATE_EPOCH: '" + escapeControlBytes(text) +
                 "' is not a number of seconds since 1970 (up to " + std::to_string(kLast) + ")"};
  return std::optional<std::int64_t>(seconds);
}

} // namespace pkgnote
