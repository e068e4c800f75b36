// SPDX-License-Identifier: MIT
// The CycloneDX document of `read --format cyclonedx` (cyclonedx.h), from reports built in
// memory: which components, occurrences and dependencies it lists, images as metadata.component,
// and byte-identical output for the same reports in any order. tests/e2e/cyclonedx-*.sh validate
// real documents against CycloneDX's official schema.
#include "pkgnote/cyclonedx.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>

using namespace pkgnote;
using Json = nlohmann::json;

namespace {

PackageMetadata fedoraCurl() {
  return PackageMetadata{{{"type", "rpm"},
                          {"name", "curl"},
                          {"version", "8.6.0-7.fc40"},
                          {"architecture", "x86_64"},
                          {"osCpe", "cpe:/o:fedoraproject:fedora:40"},
                          {"appCpe", "cpe:/a:haxx:curl:8.6.0"},
                          {"debugInfoUrl", "https://debuginfod.fedoraproject.org/"},
                          {"buildSystem", "koji"}}};
}

FileReport stamped(std::string path, PackageMetadata metadata) {
  FileReport report;
  report.path = std::move(path);
  report.kind = ElfKind::Executable;
  report.elfArchitecture = "AMD x86-64";
  report.packages.push_back({std::move(metadata), 0});
  return report;
}

FileReport unstamped(std::string path, std::string buildId) {
  FileReport report;
  report.path = std::move(path);
  report.kind = ElfKind::SharedObject;
  report.elfArchitecture = "AARCH64";
  report.buildId = std::move(buildId);
  return report;
}

CycloneDxOptions reproducible() {
  CycloneDxOptions options;
  options.toolVersion = "9.8.7";
  options.timestamp = 1700000000;
  options.reproducible = true;
  return options;
}

Json documentOf(const std::vector<FileReport> &reports) {
  return Json::parse(reportsToCycloneDx(reports, reproducible()));
}

const Json *componentNamed(const Json &bom, const std::string &type, const std::string &name) {
  for (const Json &component : bom["components"])
    if (component["type"] == type && component["name"] == name)
      return &component;
  return nullptr;
}

TEST(CycloneDxTest, HeaderNamesToolTimeAndSerial) {
  Json bom = documentOf({});
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.6");
  EXPECT_EQ(bom["version"], 1);
  EXPECT_EQ(bom["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(bom["metadata"]["tools"]["components"][0]["name"], "pkgnote");
  EXPECT_EQ(bom["metadata"]["tools"]["components"][0]["version"], "9.8.7");
  std::string serial = bom["serialNumber"];
  ASSERT_EQ(serial.size(), 45u);
  EXPECT_EQ(serial.substr(0, 9), "urn:uuid:");
  EXPECT_EQ(serial[23], '5'); // name-based (SHA-1)
  EXPECT_NE(std::string("89ab").find(serial[28]), std::string::npos);
  EXPECT_TRUE(bom["components"].empty());
}

TEST(CycloneDxTest, RandomSerialWithoutSourceDateEpoch) {
  CycloneDxOptions options = reproducible();
  options.reproducible = false;
  std::string a = Json::parse(reportsToCycloneDx({}, options))["serialNumber"];
  std::string b = Json::parse(reportsToCycloneDx({}, options))["serialNumber"];
  EXPECT_NE(a, b);
  EXPECT_EQ(a[23], '4');
}

TEST(CycloneDxTest, OneComponentPerDistinctNoteWithEveryFileAsOccurrence) {
  Json bom = documentOf(
      {stamped("/usr/bin/curl", fedoraCurl()), stamped("/usr/lib64/libcurl.so.4", fedoraCurl())});
  ASSERT_EQ(bom["components"].size(), 2u); // the OS and curl
  const Json *curl = componentNamed(bom, "library", "curl");
  ASSERT_TRUE(curl);
  EXPECT_EQ((*curl)["version"], "8.6.0-7.fc40");
  EXPECT_EQ((*curl)["purl"], "pkg:rpm/fedora/curl@8.6.0-7.fc40?arch=x86_64&distro=fedora-40");
  EXPECT_EQ((*curl)["bom-ref"], (*curl)["purl"]);
  EXPECT_EQ((*curl)["cpe"], "cpe:/a:haxx:curl:8.6.0");
  EXPECT_EQ((*curl)["externalReferences"][0]["url"], "https://debuginfod.fedoraproject.org/");
  EXPECT_EQ((*curl)["properties"],
            Json::parse(R"([{"name":"pkgnote:package:buildSystem","value":"koji"},
                            {"name":"pkgnote:package:type","value":"rpm"}])"));
  EXPECT_EQ(
      (*curl)["evidence"]["occurrences"],
      Json::parse(R"([{"location":"/usr/bin/curl"},{"location":"/usr/lib64/libcurl.so.4"}])"));

  const Json *fedora = componentNamed(bom, "operating-system", "fedora");
  ASSERT_TRUE(fedora);
  EXPECT_EQ((*fedora)["version"], "40");
  EXPECT_EQ((*fedora)["cpe"], "cpe:/o:fedoraproject:fedora:40");
  EXPECT_EQ(bom["dependencies"], Json::parse(R"([{"ref":"os:fedora@40"},
              {"ref":"pkg:rpm/fedora/curl@8.6.0-7.fc40?arch=x86_64&distro=fedora-40",
               "dependsOn":["os:fedora@40"]}])"));
}

TEST(CycloneDxTest, NotesDifferingInAnyKeyAreTwoComponentsWithUniqueRefs) {
  PackageMetadata other = fedoraCurl();
  other.fields.back().second = "mock";
  Json bom = documentOf({stamped("/a", fedoraCurl()), stamped("/b", other)});
  ASSERT_EQ(bom["components"].size(), 3u);
  EXPECT_EQ(bom["components"][1]["bom-ref"],
            "pkg:rpm/fedora/curl@8.6.0-7.fc40?arch=x86_64&distro=fedora-40");
  EXPECT_EQ(bom["components"][2]["bom-ref"],
            "pkg:rpm/fedora/curl@8.6.0-7.fc40?arch=x86_64&distro=fedora-40#2");
}

TEST(CycloneDxTest, OneOsComponentWhetherNamedByOsOrByCpe) {
  PackageMetadata byOs{{{"type", "rpm"}, {"name", "a"}, {"os", "fedora"}, {"osVersion", "40"}}};
  PackageMetadata by23{{{"type", "rpm"},
                        {"name", "b"},
                        {"osCpe", "cpe:2.3:o:fedoraproject:fedora:40:*:*:*:*:*:*:*"}}};
  Json bom = documentOf({stamped("/a", byOs), stamped("/b", fedoraCurl()), stamped("/c", by23)});
  ASSERT_EQ(bom["components"][0]["type"], "operating-system");
  EXPECT_EQ(bom["components"][0]["cpe"], "cpe:/o:fedoraproject:fedora:40");
  EXPECT_EQ(bom["components"][1]["type"], "library");
  std::size_t dependents = 0;
  for (const Json &dependency : bom["dependencies"]) {
    if (!dependency.contains("dependsOn"))
      continue;
    EXPECT_EQ(dependency["dependsOn"], Json::array({"os:fedora@40"}));
    ++dependents;
  }
  EXPECT_EQ(dependents, 3u);
}

TEST(CycloneDxTest, UnstampedFilesAreFileComponentsWithBuildId) {
  Json bom = documentOf({unstamped("/usr/lib/libz.so.1", "abcdef")});
  ASSERT_EQ(bom["components"].size(), 1u);
  const Json &file = bom["components"][0];
  EXPECT_EQ(file["type"], "file");
  EXPECT_EQ(file["name"], "/usr/lib/libz.so.1");
  EXPECT_EQ(file["properties"], Json::parse(R"([{"name":"pkgnote:buildId","value":"abcdef"},
    {"name":"pkgnote:format","value":"elf"},
    {"name":"pkgnote:elfType","value":"shared-object"},
    {"name":"pkgnote:elfArchitecture","value":"AARCH64"}])"));
}

TEST(CycloneDxTest, UnstampedPeFilesSayTheirFormat) {
  FileReport dll = unstamped("/usr/x86_64-w64-mingw32/bin/zlib1.dll", "");
  dll.format = FileFormat::Pe;
  dll.peType = "dll";
  dll.elfArchitecture = "x86-64";
  Json bom = documentOf({dll});
  ASSERT_EQ(bom["components"].size(), 1u);
  EXPECT_EQ(bom["components"][0]["properties"], Json::parse(R"([{"name":"pkgnote:format","value":"pe"},
    {"name":"pkgnote:peType","value":"dll"},
    {"name":"pkgnote:machine","value":"x86-64"}])"));
}

TEST(CycloneDxTest, CoreModulesAreOccurrencesAtTheirPaths) {
  FileReport core;
  core.path = "core.123";
  core.kind = ElfKind::Core;
  ModuleReport app;
  app.path = "/usr/bin/curl";
  app.package = fedoraCurl();
  ModuleReport lib;
  lib.path = "/usr/lib64/libunstamped.so";
  lib.buildId = "00ff";
  core.modules = {app, lib};
  Json bom = documentOf({core});
  const Json *curl = componentNamed(bom, "library", "curl");
  ASSERT_TRUE(curl);
  EXPECT_EQ((*curl)["evidence"]["occurrences"],
            Json::parse(R"([{"location":"/usr/bin/curl","additionalContext":"core 'core.123'"}])"));
  const Json *file = componentNamed(bom, "file", "/usr/lib64/libunstamped.so");
  ASSERT_TRUE(file);
  EXPECT_EQ((*file)["properties"][0], Json::parse(R"({"name":"pkgnote:buildId","value":"00ff"})"));
  EXPECT_FALSE(componentNamed(bom, "file", "core.123"));
}

FileReport inImage(FileReport report, const std::string &ref, const std::string &digest) {
  report.image = ImageOrigin{"debian.tar", ref, "linux/amd64", "sha256:1a1a", digest};
  return report;
}

TEST(CycloneDxTest, OneImageIsTheMetadataComponent) {
  Json bom = documentOf({inImage(stamped("/usr/bin/curl", fedoraCurl()), "web:1", "sha256:m1"),
                         inImage(unstamped("/usr/lib/libz.so.1", "ab"), "web:1", "sha256:m1")});
  const Json &image = bom["metadata"]["component"];
  EXPECT_EQ(image["type"], "container");
  EXPECT_EQ(image["name"], "web:1");
  EXPECT_EQ(image["version"], "sha256:m1");
  EXPECT_FALSE(componentNamed(bom, "container", "web:1"));
  const Json *curl = componentNamed(bom, "library", "curl");
  ASSERT_TRUE(curl);
  EXPECT_EQ((*curl)["evidence"]["occurrences"][0]["location"], "/usr/bin/curl");
  EXPECT_EQ((*curl)["evidence"]["occurrences"][0]["additionalContext"],
            "image 'debian.tar' ref web:1 platform linux/amd64 layer sha256:1a1a");
  const Json &last = bom["dependencies"].back();
  EXPECT_EQ(last["ref"], image["bom-ref"]);
  EXPECT_EQ(last["dependsOn"],
            Json::array({"file:image 'debian.tar' ref web:1 platform linux/amd64 "
                         "layer sha256:1a1a:/usr/lib/libz.so.1",
                         (*curl)["bom-ref"]}));
}

TEST(CycloneDxTest, SeveralImagesAreContainerComponents) {
  Json bom = documentOf({inImage(stamped("/usr/bin/curl", fedoraCurl()), "web:1", "sha256:m1"),
                         inImage(stamped("/usr/bin/curl", fedoraCurl()), "web:2", "sha256:m2")});
  EXPECT_FALSE(bom["metadata"].contains("component"));
  ASSERT_TRUE(componentNamed(bom, "container", "web:1"));
  ASSERT_TRUE(componentNamed(bom, "container", "web:2"));
  EXPECT_EQ((*componentNamed(bom, "container", "web:2"))["version"], "sha256:m2");
  EXPECT_EQ((*componentNamed(bom, "library", "curl"))["evidence"]["occurrences"].size(), 2u);
}

TEST(CycloneDxTest, SameReportsInAnyOrderGiveTheSameBytes) {
  std::vector<FileReport> reports = {
      stamped("/b", fedoraCurl()), unstamped("/c", "01"),
      stamped("/a", PackageMetadata{{{"type", "deb"}, {"name", "zlib"}, {"os", "debian"}}}),
      unstamped("/a2", "02")};
  std::string first = reportsToCycloneDx(reports, reproducible());
  std::reverse(reports.begin(), reports.end());
  EXPECT_EQ(reportsToCycloneDx(reports, reproducible()), first);
  reports.pop_back();
  EXPECT_NE(reportsToCycloneDx(reports, reproducible()), first);
}

TEST(CycloneDxTest, NonUtf8PathsAreReplacedNotThrownAndRefsStayUnique) {
  Json bom = documentOf({unstamped("/bin/\xff", ""), unstamped("/bin/\xfe", "")});
  EXPECT_EQ(bom["components"][0]["name"], "/bin/\xef\xbf\xbd");
  EXPECT_EQ(bom["components"][0]["bom-ref"], "file:/bin/\xef\xbf\xbd");
  EXPECT_EQ(bom["components"][1]["bom-ref"], "file:/bin/\xef\xbf\xbd#2");
}

// tests/e2e/cyclonedx-in-memory-documents.sh validates these against CycloneDX's schema: the
// documents of images and cores that the e2e tests cannot otherwise make on this branch.
TEST(CycloneDxTest, WritesDocumentsForTheSchemaCheck) {
  const char *directory = std::getenv("PKGNOTE_CYCLONEDX_SAMPLES");
  if (!directory)
    GTEST_SKIP() << "PKGNOTE_CYCLONEDX_SAMPLES is not set";
  FileReport core;
  core.path = "core.123";
  core.kind = ElfKind::Core;
  core.modules.resize(2);
  core.modules[0].path = "/usr/bin/curl";
  core.modules[0].package = fedoraCurl();
  core.modules[1].path = "/usr/lib/libz.so.1";
  PackageMetadata noName{{{"type", "rpm"}, {"osCpe", "not a cpe"}}};
  std::map<std::string, std::vector<FileReport>> samples = {
      {"one-image",
       {inImage(stamped("/usr/bin/curl", fedoraCurl()), "web:1", "sha256:m1"),
        inImage(unstamped("/usr/lib/libz.so.1", "ab"), "web:1", "sha256:m1")}},
      {"two-images",
       {inImage(stamped("/usr/bin/curl", fedoraCurl()), "web:1", "sha256:m1"),
        inImage(stamped("/usr/bin/curl", fedoraCurl()), "", "sha256:m2"),
        inImage(unstamped("/usr/lib/libz.so.1", "ab"), "", "sha256:m2")}},
      {"core-and-odd-notes", {core, stamped("/a", noName), unstamped("/bin/\xff", "")}},
  };
  for (const auto &[name, reports] : samples) {
    std::ofstream out(std::string(directory) + "/" + name + ".json");
    out << reportsToCycloneDx(reports, reproducible());
    ASSERT_TRUE(out.good()) << name;
  }
}

TEST(SourceDateEpochTest, ParsesSecondsAndRejectsTheRest) {
  EXPECT_FALSE(*parseSourceDateEpoch(nullptr));
  EXPECT_FALSE(*parseSourceDateEpoch(""));
  EXPECT_EQ(**parseSourceDateEpoch("1700000000"), 1700000000);
  EXPECT_EQ(**parseSourceDateEpoch("0"), 0);
  EXPECT_FALSE(parseSourceDateEpoch("-1"));
  EXPECT_FALSE(parseSourceDateEpoch("12x"));
  EXPECT_FALSE(parseSourceDateEpoch("99999999999999999999"));
  EXPECT_EQ(parseSourceDateEpoch("1e9").error().message,
            "SOURCE_DATE_EPOCH: '1e9' is not a number of seconds since 1970 (up to 253402300799)");
}

} // namespace

// read --deps: curl needs libz (unstamped: its file component) and libc (in curl's own
// package: no edge), dlopens libzstd (optional, with the feature), and needs a library found
// nowhere (a property).
TEST(CycloneDxTest, LibraryEdgesRequiredOptionalAndUnresolved) {
  FileReport curl = stamped("/usr/bin/curl", fedoraCurl());
  FileReport libc = stamped("/usr/lib64/libc.so.6", fedoraCurl());
  FileReport libz = unstamped("/usr/lib64/libz.so.1.3", "aa");
  FileReport zstd = unstamped("/usr/lib64/libzstd.so.1.5", "bb");
  Dependencies deps;
  deps.needed = {"libz.so.1", "libc.so.6", "libgone.so.2"};
  deps.dlopen = {DlopenEntry{"zstd", "", "suggested", {"libzstd.so.1"}}};
  deps.resolved = {{"libz.so.1", "/usr/lib64/./libz.so.1.3"}, // as a root "./x" prints it
                   {"libc.so.6", "/usr/lib64/libc.so.6"},
                   {"libgone.so.2", std::nullopt},
                   {"libzstd.so.1", "/usr/lib64/libzstd.so.1.5"}};
  deps.isResolved = true;
  curl.dependencies = deps;
  Json bom = documentOf({curl, libc, libz, zstd});
  const Json *package = componentNamed(bom, "library", "curl");
  const Json *z = componentNamed(bom, "file", "/usr/lib64/libz.so.1.3");
  const Json *zs = componentNamed(bom, "file", "/usr/lib64/libzstd.so.1.5");
  ASSERT_TRUE(package && z && zs);
  Json edges;
  for (const Json &dependency : bom["dependencies"])
    if (dependency["ref"] == (*package)["bom-ref"])
      edges = dependency["dependsOn"];
  std::vector<std::string> targets = edges.get<std::vector<std::string>>();
  EXPECT_NE(std::find(targets.begin(), targets.end(), (*z)["bom-ref"]), targets.end());
  EXPECT_NE(std::find(targets.begin(), targets.end(), (*zs)["bom-ref"]), targets.end());
  EXPECT_EQ(targets.size(), 3u); // the OS, libz, libzstd; not curl's own package
  Json properties = (*package)["properties"];
  auto has = [&](const std::string &name, const std::string &value) {
    return std::find(properties.begin(), properties.end(),
                     Json{{"name", name}, {"value", value}}) != properties.end();
  };
  EXPECT_TRUE(has("pkgnote:dlopen:zstd", (*zs)["bom-ref"]));
  EXPECT_TRUE(has("pkgnote:unresolved", "libgone.so.2"));
  EXPECT_FALSE(has("pkgnote:dlopen:zstd", (*z)["bom-ref"]));
}
