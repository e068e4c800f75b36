// SPDX-License-Identifier: MIT
// Package URLs from package notes (purl.h): the type, namespace and qualifier conventions and the
// purl specification's percent-encoding, pinned byte for byte. tests/e2e/cyclonedx-*.sh parse the
// same kinds of purls with packageurl-js, the specification's reference library.
#include "pkgnote/purl.h"

#include <gtest/gtest.h>

using namespace pkgnote;

namespace {

PackageMetadata note(std::vector<std::pair<std::string, std::string>> fields) {
  return PackageMetadata{std::move(fields)};
}

std::string purlOf(std::vector<std::pair<std::string, std::string>> fields) {
  std::optional<PackageUrl> purl = packageUrlOf(note(std::move(fields)));
  return purl ? toString(*purl) : "(none)";
}

TEST(CpeTest, ReadsUriAndFormattedString) {
  std::optional<CpeName> uri = parseCpe("cpe:/o:fedoraproject:fedora:40");
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->part, 'o');
  EXPECT_EQ(uri->vendor, "fedoraproject");
  EXPECT_EQ(uri->product, "fedora");
  EXPECT_EQ(uri->version, "40");

  std::optional<CpeName> fs = parseCpe("cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*");
  ASSERT_TRUE(fs);
  EXPECT_EQ(fs->product, "debian_linux");
  EXPECT_EQ(fs->version, "12");
}

TEST(CpeTest, UnescapesEachFormItsOwnWay) {
  EXPECT_EQ(parseCpe("cpe:/o:acme:my%20os:1%2e0")->product, "my os");
  EXPECT_EQ(parseCpe("cpe:/o:acme:my%20os:1%2e0")->version, "1.0");
  EXPECT_EQ(parseCpe("cpe:2.3:o:acme:a\\:b:*:*:*:*:*:*:*:*")->product, "a:b");
  EXPECT_EQ(parseCpe("cpe:2.3:o:acme:a\\:b:*:*:*:*:*:*:*:*")->version, "");
  EXPECT_EQ(parseCpe("cpe:/o:redhat:enterprise_linux")->version, "");
}

TEST(CpeTest, RejectsWhatIsNoCpe) {
  EXPECT_FALSE(parseCpe("fedora"));
  EXPECT_FALSE(parseCpe("cpe:/x:acme:os:1"));
  EXPECT_FALSE(parseCpe("cpe:2.3:"));
  EXPECT_FALSE(parseCpe(""));
}

TEST(PurlTest, FedoraNoteWithOsCpeAndEpoch) {
  EXPECT_EQ(purlOf({{"type", "rpm"},
                    {"name", "curl"},
                    {"version", "2:8.6.0-7.fc40"},
                    {"architecture", "x86_64"},
                    {"osCpe", "cpe:/o:fedoraproject:fedora:40"}}),
            "pkg:rpm/fedora/curl@8.6.0-7.fc40?arch=x86_64&distro=fedora-40&epoch=2");
}

TEST(PurlTest, DebianNoteKeepsEpochAndTildeAndEncodesPlus) {
  // systemd's own note in Debian 12 names no osVersion.
  EXPECT_EQ(purlOf({{"type", "deb"},
                    {"os", "Debian"},
                    {"name", "systemd"},
                    {"version", "1:252.38-1~deb12u1+b1"},
                    {"architecture", "amd64"}}),
            "pkg:deb/debian/systemd@1:252.38-1~deb12u1%2Bb1?arch=amd64&distro=debian");
}

TEST(PurlTest, WolfiApkNote) {
  EXPECT_EQ(purlOf({{"type", "apk"},
                    {"os", "wolfi"},
                    {"osVersion", "20230201"},
                    {"name", "openssl"},
                    {"version", "3.6.0-r0"},
                    {"architecture", "x86_64"}}),
            "pkg:apk/wolfi/openssl@3.6.0-r0?arch=x86_64&distro=wolfi-20230201");
}

TEST(PurlTest, OsWinsOverOsCpeAndCpe23GivesNamespace) {
  EXPECT_EQ(purlOf({{"type", "rpm"},
                    {"name", "a"},
                    {"osCpe", "cpe:/o:redhat:enterprise_linux:9"},
                    {"os", "rhel"}}),
            "pkg:rpm/rhel/a?distro=rhel-9");
  EXPECT_EQ(purlOf({{"type", "alpm"},
                    {"name", "pacman"},
                    {"version", "6.0.1-1"},
                    {"osCpe", "cpe:2.3:o:archlinux:Arch:-:*:*:*:*:*:*:*"}}),
            "pkg:alpm/arch/pacman@6.0.1-1?distro=arch");
}

TEST(PurlTest, UnknownOrMissingTypeIsGenericWithoutNamespace) {
  EXPECT_EQ(purlOf({{"type", "ebuild"}, {"name", "x"}, {"version", "1"}, {"os", "gentoo"}}),
            "pkg:generic/x@1?distro=gentoo");
  EXPECT_EQ(purlOf({{"name", "x"}}), "pkg:generic/x");
  EXPECT_EQ(purlOf({{"type", "RPM"}, {"name", "x"}}), "pkg:rpm/x");
}

TEST(PurlTest, NamesAreLowerCaseWhereTheTypeSaysSo) {
  EXPECT_EQ(purlOf({{"type", "deb"}, {"name", "LibFoo"}}), "pkg:deb/libfoo");
  EXPECT_EQ(purlOf({{"type", "apk"}, {"name", "LibFoo"}}), "pkg:apk/libfoo");
  EXPECT_EQ(purlOf({{"type", "alpm"}, {"name", "LibFoo"}}), "pkg:alpm/libfoo");
  EXPECT_EQ(purlOf({{"type", "rpm"}, {"name", "LibFoo"}}), "pkg:rpm/LibFoo");
  EXPECT_EQ(purlOf({{"type", "other"}, {"name", "LibFoo"}}), "pkg:generic/LibFoo");
}

TEST(PurlTest, NoNameNoPurl) {
  EXPECT_EQ(purlOf({{"type", "rpm"}, {"version", "1"}}), "(none)");
  EXPECT_EQ(purlOf({{"type", "rpm"}, {"name", ""}}), "(none)");
}

TEST(PurlTest, EpochOnlyForRpmAndOnlyWhenNumeric) {
  EXPECT_EQ(purlOf({{"type", "rpm"}, {"name", "x"}, {"version", "abc:1-2"}}), "pkg:rpm/x@abc:1-2");
  EXPECT_EQ(purlOf({{"type", "rpm"}, {"name", "x"}, {"version", ":1-2"}}), "pkg:rpm/x@:1-2");
  EXPECT_EQ(purlOf({{"type", "alpm"}, {"name", "x"}, {"version", "1:2-3"}}), "pkg:alpm/x@1:2-3");
}

TEST(PurlTest, PercentEncodesEverythingButUnreserved) {
  EXPECT_EQ(purlOf({{"type", "deb"},
                    {"name", "a b/c@d?e#f%g+h:i"},
                    {"version", "1.0 /?#@%é"},
                    {"architecture", "x&y=z:+"},
                    {"os", "My OS"},
                    {"osVersion", "1/2"}}),
            "pkg:deb/my%20os/a%20b%2Fc%40d%3Fe%23f%25g%2Bh:i@1.0%20%2F%3F%23%40%25%C3%A9"
            "?arch=x%26y%3Dz:%2B&distro=my%20os-1%2F2");
  EXPECT_EQ(percentEncode("AZaz09.-_~"), "AZaz09.-_~");
  EXPECT_EQ(percentEncode("\x01\x7f\xff"), "%01%7F%FF");
}

TEST(PackageOsTest, FromOsOrCpe) {
  auto os = osOfPackage(note({{"os", "Fedora"}, {"osVersion", "40"}}));
  ASSERT_TRUE(os);
  EXPECT_EQ(os->id, "fedora");
  EXPECT_EQ(os->version, "40");
  EXPECT_EQ(os->cpe, "");
  os = osOfPackage(note({{"osCpe", "cpe:/o:fedoraproject:fedora:40"}}));
  ASSERT_TRUE(os);
  EXPECT_EQ(os->id, "fedora");
  EXPECT_EQ(os->cpe, "cpe:/o:fedoraproject:fedora:40");
  os = osOfPackage(note({{"osCpe", "not a cpe"}}));
  ASSERT_TRUE(os); // kept for its OS component, but it names no distribution
  EXPECT_EQ(os->id, "");
  EXPECT_FALSE(osOfPackage(note({{"name", "x"}})));
}

} // namespace
