// SPDX-License-Identifier: MIT
// The container-image reader's parts: entry paths resolved inside the root, the overlay of
// layers with both whiteout kinds, replaced files and hard links, the index and manifest
// parsers (their messages), sha256 against known digests, and whole layers written here with
// libarchive's tar writer (gzip and zstd) scanned back.
#include "image/image_json.h"
#include "image/image_reader.h"
#include "image/layer_scan.h"
#include "image/overlay.h"

#include "elf_image.h"

#include <archive.h>
#include <archive_entry.h>
#include <cstdio>
#include <gtest/gtest.h>

namespace pkgnote::detail {
namespace {

TEST(ImagePath, ResolvedInsideTheRoot) {
  EXPECT_EQ(resolveEntryPath("./usr//bin/./ls"), "usr/bin/ls");
  EXPECT_EQ(resolveEntryPath("/usr/bin/ls"), "usr/bin/ls");
  EXPECT_EQ(resolveEntryPath("../../etc/passwd"), "etc/passwd");
  EXPECT_EQ(resolveEntryPath("usr/../../../bin/x"), "bin/x");
  EXPECT_EQ(resolveEntryPath("./"), "");
  EXPECT_EQ(resolveEntryPath("a/b/.."), "a");
}

LayerEntry file(std::string path) {
  LayerEntry entry;
  entry.path = std::move(path);
  entry.kind = EntryKind::File;
  return entry;
}
LayerEntry of(EntryKind kind, std::string path, std::string target = "") {
  LayerEntry entry;
  entry.path = std::move(path);
  entry.kind = kind;
  entry.target = std::move(target);
  return entry;
}

std::vector<std::string> stacked(const std::vector<LayerScan> &layers,
                                 std::vector<std::size_t> *from = nullptr) {
  std::vector<const LayerScan *> pointers;
  for (const LayerScan &layer : layers)
    pointers.push_back(&layer);
  std::vector<std::string> paths;
  for (const FinalFile &final : stackLayers(pointers)) {
    paths.push_back(final.path);
    if (from)
      from->push_back(final.layer);
  }
  return paths;
}

TEST(ImageOverlay, WhiteoutDeletesFileAndTreeOfLowerLayersOnly) {
  LayerScan lower{"",
                  {of(EntryKind::Directory, "usr"), file("usr/a"), file("usr/b"), file("opt/d/x"),
                   file("opt/d/y")}};
  // The whiteout comes after the layer's own file of the same name: it still hides only lower.
  LayerScan upper{"",
                  {file("usr/a"), of(EntryKind::Whiteout, "usr/a"),
                   of(EntryKind::Whiteout, "opt/d"), of(EntryKind::Whiteout, "usr/b")}};
  std::vector<std::size_t> from;
  EXPECT_EQ(stacked({lower, upper}, &from), std::vector<std::string>{"usr/a"});
  EXPECT_EQ(from, std::vector<std::size_t>{1});
}

TEST(ImageOverlay, OpaqueDirectoryKeepsItsOwnLayersEntries) {
  LayerScan lower{"", {file("opt/x/a"), file("opt/x/sub/b"), file("opt/y")}};
  LayerScan upper{"", {file("opt/x/c"), of(EntryKind::Opaque, "opt/x")}};
  EXPECT_EQ(stacked({lower, upper}), (std::vector<std::string>{"opt/x/c", "opt/y"}));
}

TEST(ImageOverlay, ReplacedFileComesFromTheUpperLayer) {
  LayerScan lower{"", {file("bin/tool"), file("bin/dir/f")}};
  // A file where a directory was removes what was under it; a symlink replaces a file.
  LayerScan upper{"", {file("bin/tool"), file("bin/dir"), of(EntryKind::Other, "bin/tool2")}};
  LayerScan top{"", {of(EntryKind::Other, "bin/tool")}};
  std::vector<std::size_t> from;
  EXPECT_EQ(stacked({lower, upper}, &from), (std::vector<std::string>{"bin/dir", "bin/tool"}));
  EXPECT_EQ(from, (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(stacked({lower, upper, top}), std::vector<std::string>{"bin/dir"});
}

TEST(ImageOverlay, HardLinksAreOneFileUnderTheirFirstNameInWalkOrder) {
  LayerScan layer{"",
                  {file("usr/bin/z"), of(EntryKind::HardLink, "usr/bin/a", "usr/bin/z"),
                   of(EntryKind::HardLink, "usr/bin-x", "usr/bin/z"),
                   of(EntryKind::HardLink, "bad", "nothing")}};
  // "usr/bin/a" walks before "usr/bin-x" ('/' first), though '-' < '/' in byte order.
  EXPECT_EQ(stacked({layer}), std::vector<std::string>{"usr/bin/a"});
  // Replacing the link's target leaves the link with the old bytes: two files.
  LayerScan upper{"", {file("usr/bin/z")}};
  EXPECT_EQ(stacked({layer, upper}), (std::vector<std::string>{"usr/bin/a", "usr/bin/z"}));
}

TEST(ImageOverlay, RootOpaqueEmptiesEverythingBelow) {
  LayerScan lower{"", {file("a"), file("b/c")}};
  LayerScan upper{"", {of(EntryKind::Opaque, ""), file("d")}};
  EXPECT_EQ(stacked({lower, upper}), std::vector<std::string>{"d"});
}

constexpr const char *kDigestA =
    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

TEST(ImageJson, IndexWithPlatformsAndRefs) {
  std::string json = std::string(R"({"schemaVersion":2,"manifests":[{"mediaType":)") +
                     R"("application/vnd.oci.image.index.v1+json","digest":")" + kDigestA +
                     R"(","size":1,"platform":{"os":"linux","architecture":"arm64","variant":)" +
                     R"("v8"},"annotations":{"org.opencontainers.image.ref.name":"v1"}}]})";
  auto index = parseIndex(json, "index.json");
  ASSERT_TRUE(static_cast<bool>(index)) << llvm::toString(index.takeError());
  ASSERT_EQ(index->size(), 1u);
  EXPECT_EQ((*index)[0].platform, "linux/arm64/v8");
  EXPECT_EQ((*index)[0].ref, "v1");
  EXPECT_TRUE((*index)[0].isIndex());
}

std::string message(llvm::Error error) { return llvm::toString(std::move(error)); }

TEST(ImageJson, BadDocumentsAreNamedErrors) {
  EXPECT_EQ(message(parseIndex("{", "index.json").takeError()), "'index.json': not valid JSON");
  EXPECT_EQ(message(parseIndex("{}", "index.json").takeError()),
            "'index.json': no \"manifests\" list");
  EXPECT_EQ(
      message(parseIndex(R"({"manifests":[{"digest":"sha256:../../etc"}]})", "i").takeError()),
      "'i': descriptor digest 'sha256:../../etc' is not sha256:<64 lowercase hex digits>");
  EXPECT_EQ(message(parseManifest(R"({"layers":[]})", "blob").takeError()),
            "'blob': no \"config\"");
  EXPECT_EQ(message(parseDockerManifest(R"([{"Config":"c.json"}])", "manifest.json").takeError()),
            "'manifest.json': an image has no \"Config\" or no \"Layers\" list");
}

TEST(ImageJson, ManifestLayersInOrderAndConfigPlatform) {
  std::string json = std::string(R"({"config":{"digest":")") + kDigestA +
                     R"("},"layers":[{"digest":")" + kDigestA + R"("},{"digest":")" + kDigestA +
                     R"("}]})";
  auto manifest = parseManifest(json, "blob");
  ASSERT_TRUE(static_cast<bool>(manifest)) << llvm::toString(manifest.takeError());
  EXPECT_EQ(manifest->layers.size(), 2u);
  auto platform = parsePlatform(R"({"architecture":"amd64","os":"linux"})", "config");
  ASSERT_TRUE(static_cast<bool>(platform));
  EXPECT_EQ(*platform, "linux/amd64");
  EXPECT_TRUE(platformMatches("linux/arm64/v8", "linux/arm64"));
  EXPECT_FALSE(platformMatches("linux/arm64", "linux/arm"));
  EXPECT_TRUE(platformMatches("linux/amd64", ""));
}

TEST(ImageDigest, Sha256OfKnownInputs) {
  // sha256("") and sha256("abc"), FIPS 180-2's test vectors.
  EXPECT_EQ(sha256Of(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Of("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// One ustar header and its data, padded. Written here rather than by libarchive's tar writer,
// which drags every writer of Debian's static libarchive (and their libraries) into the link,
// and which would refuse the hostile names ("../../escape") these tests need.
std::string tarEntry(const std::string &path, const std::string &bytes, char type = '0') {
  std::string header(512, '\0');
  auto put = [&](std::size_t at, std::size_t width, const std::string &text) {
    header.replace(at, std::min(width, text.size()), text.substr(0, width));
  };
  auto octal = [](std::uint64_t value, int width) {
    char text[32];
    std::snprintf(text, sizeof text, "%0*llo", width - 1, static_cast<unsigned long long>(value));
    return std::string(text);
  };
  put(0, 100, path);
  put(100, 8, octal(0755, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(bytes.size(), 12));
  put(136, 12, octal(0, 12));
  header[156] = type;
  put(257, 6, std::string("ustar\0", 6));
  put(263, 2, "00");
  put(148, 8, std::string(8, ' '));
  unsigned sum = 0;
  for (unsigned char c : header)
    sum += c;
  put(148, 8, octal(sum, 7) + std::string(1, '\0'));
  std::string data = bytes;
  data.resize((bytes.size() + 511) / 512 * 512, '\0');
  return header + data;
}

// A tar layer of FILES, compressed with FILTER by libarchive's writer (raw format over the tar).
std::string tarLayer(const std::vector<std::pair<std::string, std::string>> &files, int filter) {
  std::string tar;
  for (const auto &[path, bytes] : files)
    tar += tarEntry(path, bytes);
  tar += std::string(1024, '\0');
  if (filter == ARCHIVE_FILTER_NONE)
    return tar;
  std::string out(tar.size() + 65536, '\0');
  std::size_t used = 0;
  struct archive *a = archive_write_new();
  if (filter == ARCHIVE_FILTER_GZIP)
    archive_write_add_filter_gzip(a);
  else
    archive_write_add_filter_zstd(a);
  archive_write_set_format_raw(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  struct archive_entry *entry = archive_entry_new();
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_write_header(a, entry);
  archive_write_data(a, tar.data(), tar.size());
  archive_entry_free(entry);
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

ChunkSource chunksOfString(const std::string &bytes) {
  auto given = std::make_shared<bool>(false);
  return [&bytes, given]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    if (std::exchange(*given, true))
      return llvm::ArrayRef<std::uint8_t>();
    return llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                        bytes.size());
  };
}

class ImageLayerScan : public ::testing::TestWithParam<int> {};

TEST_P(ImageLayerScan, ReportsElfFilesWhiteoutsAndTheBlobDigest) {
  const std::string elf = pkgnote::testing::stampedImage();
  std::string layer = tarLayer({{"./usr/bin/app", elf},
                                {"usr/share/doc", "text"},
                                {"etc/.wh.gone", ""},
                                {"opt/.wh..wh..opq", ""},
                                {"../../escape", elf}},
                               GetParam());
  auto scan = scanLayer("blob", chunksOfString(layer));
  ASSERT_TRUE(static_cast<bool>(scan)) << llvm::toString(scan.takeError());
  EXPECT_EQ(scan->digest, sha256Of(layer));
  ASSERT_EQ(scan->entries.size(), 5u);
  EXPECT_EQ(scan->entries[0].path, "usr/bin/app");
  ASSERT_TRUE(scan->entries[0].report.has_value());
  EXPECT_EQ(scan->entries[0].report->path, "/usr/bin/app");
  ASSERT_EQ(scan->entries[0].report->packages.size(), 1u);
  ASSERT_NE(scan->entries[0].report->packages[0].metadata.name(), nullptr);
  EXPECT_EQ(*scan->entries[0].report->packages[0].metadata.name(), "hello");
  EXPECT_FALSE(scan->entries[1].report.has_value());
  EXPECT_EQ(scan->entries[2].kind, EntryKind::Whiteout);
  EXPECT_EQ(scan->entries[2].path, "etc/gone");
  EXPECT_EQ(scan->entries[3].kind, EntryKind::Opaque);
  EXPECT_EQ(scan->entries[3].path, "opt");
  EXPECT_EQ(scan->entries[4].path, "escape");
}

INSTANTIATE_TEST_SUITE_P(Compression, ImageLayerScan,
                         ::testing::Values(ARCHIVE_FILTER_NONE, ARCHIVE_FILTER_GZIP,
                                           ARCHIVE_FILTER_ZSTD));

TEST(ImageLayerScanErrors, NotATarAndTruncated) {
  std::string text = "this is not a tar file at all";
  EXPECT_EQ(message(scanLayer("blob", chunksOfString(text)).takeError())
                .rfind("'blob': not a tar layer", 0),
            0u);
  const std::string elf = pkgnote::testing::stampedImage();
  std::string layer = tarLayer({{"a", elf}}, ARCHIVE_FILTER_NONE);
  std::string cut = layer.substr(0, 512 + 100); // the header and 100 bytes of data
  auto scan = scanLayer("blob", chunksOfString(cut));
  ASSERT_FALSE(static_cast<bool>(scan));
  EXPECT_EQ(message(scan.takeError()), "'blob': layer: truncated tar archive");
}

// A docker archive (layers first, manifest.json last) whose one image has no ELF file: the image
// is still announced through imageStarted, with its RepoTag, platform and image ID, and nothing
// else is reported.
TEST(ImageArchive, ImageWithoutElfFilesIsStillAnnounced) {
  std::string layer = tarEntry("etc/motd", "hello\n") + std::string(1024, '\0');
  std::string config = R"({"architecture":"arm64","os":"linux","variant":"v8"})";
  std::string manifest =
      R"([{"Config":"c.json","RepoTags":["example.org/a:1"],"Layers":["l/layer.tar"]}])";
  std::string archive = tarEntry("l/layer.tar", layer) + tarEntry("c.json", config) +
                        tarEntry("manifest.json", manifest) + std::string(1024, '\0');
  std::vector<ImageOrigin> started;
  ReadOptions options;
  options.imageStarted = [&](const ImageOrigin &origin) { started.push_back(origin); };
  std::vector<std::string> outcomes;
  readImageArchive("a.tar", chunksOfString(archive), options,
                   [&](Result<std::optional<FileReport>> outcome) {
                     outcomes.push_back(outcome ? "report" : outcome.error().message);
                   });
  EXPECT_TRUE(outcomes.empty()) << outcomes.front();
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].image, "a.tar");
  EXPECT_EQ(started[0].ref, "example.org/a:1");
  EXPECT_EQ(started[0].platform, "linux/arm64/v8");
  EXPECT_EQ(started[0].manifestDigest, sha256Of(config));
  EXPECT_EQ(started[0].layer, "");
}

// A file in a layer that cannot be read and a config the archive lacks: each error names the
// image as its input and carries the problem apart (the file's path inside the image first),
// read back from the fields, not from the message.
TEST(ImageArchive, ErrorsCarryTheImageApartFromTheProblem) {
  std::string cut = pkgnote::testing::stampedImage().substr(0, 80); // header, no program headers
  std::string layer = tarEntry("usr/bin/app", cut) + std::string(1024, '\0');
  std::string config = R"({"architecture":"amd64","os":"linux"})";
  std::string manifest = R"([{"Config":"c.json","Layers":["l/layer.tar"]},)"
                         R"({"Config":"gone.json","Layers":["l/layer.tar"]}])";
  std::string archive = tarEntry("l/layer.tar", layer) + tarEntry("c.json", config) +
                        tarEntry("manifest.json", manifest) + std::string(1024, '\0');
  std::vector<Error> errors;
  readImageArchive("a.tar", chunksOfString(archive), ReadOptions{},
                   [&](Result<std::optional<FileReport>> outcome) {
                     if (!outcome)
                       errors.push_back(outcome.error());
                   });
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].input, "a.tar");
  EXPECT_EQ(errors[0].problem.rfind("/usr/bin/app: ", 0), 0u) << errors[0].problem;
  EXPECT_EQ(errors[0].message, "'a.tar': " + errors[0].problem);
  EXPECT_EQ(errors[1].input, "a.tar");
  EXPECT_EQ(errors[1].problem, "config gone.json: missing");
  EXPECT_EQ(errors[1].message, "'a.tar': config gone.json: missing");
}

} // namespace
} // namespace pkgnote::detail
