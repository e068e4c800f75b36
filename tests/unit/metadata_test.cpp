// SPDX-License-Identifier: MIT
// buildMetadata: key order, --rpm, key clashes, --os-cpe auto, and every validation message.
#include "pkgnote/metadata.h"
#include "pkgnote/payload_json.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

using pkgnote::buildMetadata;
using pkgnote::MetadataRequest;
using pkgnote::testing::TempDir;

namespace {

// The payload for REQUEST, or "error: MESSAGE".
std::string generate(const MetadataRequest &request) {
  auto metadata = buildMetadata(request);
  if (!metadata)
    return "error: " + metadata.error().message;
  auto json = pkgnote::toPayloadJson(*metadata);
  if (!json)
    return "error: " + json.error().message;
  return *json;
}

MetadataRequest named(std::string name) {
  MetadataRequest request;
  request.name = std::move(name);
  return request;
}

} // namespace

TEST(Metadata, WritesWellKnownKeysInSpecOrderThenSetKeysInGivenOrder) {
  MetadataRequest request;
  request.debugInfoUrl = "https://debuginfod.example.org";
  request.architecture = "x86_64";
  request.set = {"zz=1", "version=1.0", "aa=2"};
  request.appCpe = "cpe:/a:qemu:qemu:8.1";
  request.name = "foo";
  request.osCpe = "cpe:/o:fedoraproject:fedora:39";
  request.type = "rpm";
  request.os = "fedora";
  request.osVersion = "39";
  EXPECT_EQ(generate(request),
            R"({"type":"rpm","name":"foo","version":"1.0","architecture":"x86_64",)"
            R"("osCpe":"cpe:/o:fedoraproject:fedora:39","os":"fedora","osVersion":"39",)"
            R"("appCpe":"cpe:/a:qemu:qemu:8.1","debugInfoUrl":"https://debuginfod.example.org",)"
            R"("zz":"1","aa":"2"})");
}

TEST(Metadata, FindReturnsValuesByKey) {
  auto metadata = buildMetadata(named("foo"));
  ASSERT_TRUE(metadata);
  ASSERT_NE(metadata->name(), nullptr);
  EXPECT_EQ(*metadata->name(), "foo");
  EXPECT_EQ(metadata->type(), nullptr);
}

TEST(Metadata, SetValueMayContainEquals) {
  MetadataRequest request;
  request.set = {"url=https://x/?a=b"};
  EXPECT_EQ(generate(request), R"({"url":"https://x/?a=b"})");
}

TEST(Metadata, RpmFillsTypeNameVersionReleaseAndArchitecture) {
  MetadataRequest request;
  request.rpm = "qemu-user-static-8.1.3-1.fc39.x86_64";
  request.osCpe = "cpe:/o:fedoraproject:fedora:39";
  EXPECT_EQ(generate(request),
            R"({"type":"rpm","name":"qemu-user-static","version":"8.1.3-1.fc39",)"
            R"("architecture":"x86_64","osCpe":"cpe:/o:fedoraproject:fedora:39"})");
}

TEST(Metadata, RpmVersionLeavesOutTheEpochLikeTheReferenceMacros) {
  MetadataRequest request;
  request.rpm = "qemu-user-static-2:8.1.3-1.fc39.aarch64";
  EXPECT_EQ(generate(request),
            R"({"type":"rpm","name":"qemu-user-static","version":"8.1.3-1.fc39",)"
            R"("architecture":"aarch64"})");
}

TEST(Metadata, RejectsMalformedRpm) {
  MetadataRequest request;
  request.rpm = "bash";
  EXPECT_EQ(generate(request),
            "error: --rpm: 'bash': no architecture (expected NAME-[EPOCH:]VERSION-RELEASE.ARCH)");
}

TEST(Metadata, KeyClashNamesBothSources) {
  MetadataRequest request = named("foo");
  request.rpm = "bash-5.2-1.x86_64";
  EXPECT_EQ(generate(request), "error: key clash: 'name' is given by both --rpm and --name");

  request = named("foo");
  request.set = {"name=bar"};
  EXPECT_EQ(generate(request), "error: key clash: 'name' is given by both --name and --set name");

  request = MetadataRequest();
  request.set = {"x=1", "x=2"};
  EXPECT_EQ(generate(request), "error: key clash: 'x' is given by both --set x and --set x");

  request = MetadataRequest();
  request.type = "deb";
  request.rpm = "bash-5.2-1.x86_64";
  EXPECT_EQ(generate(request), "error: key clash: 'type' is given by both --rpm and --type");
}

TEST(Metadata, RejectsEmptyRequest) {
  EXPECT_EQ(generate(MetadataRequest()),
            "error: no metadata given (use --rpm, --type, --name, --set KEY=VALUE, ...)");
}

struct BadValue {
  std::string value;
  std::string message;
};

class RejectsBadName : public ::testing::TestWithParam<BadValue> {};

TEST_P(RejectsBadName, WithMessageNamingOptionAndByte) {
  EXPECT_EQ(generate(named(GetParam().value)), "error: --name: " + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Metadata, RejectsBadName,
    ::testing::Values(BadValue{"", "empty value"},
                      BadValue{"abc\n", "control character U+000A at byte 3"},
                      BadValue{std::string("a\0b", 3), "control character U+0000 at byte 1"},
                      BadValue{"\tx", "control character U+0009 at byte 0"},
                      BadValue{"x\x1f", "control character U+001F at byte 1"},
                      BadValue{"x\x7f", "control character U+007F at byte 1"},
                      BadValue{"\xc2\x80", "control character U+0080 at byte 0"},
                      BadValue{"ab\xc2\x9f", "control character U+009F at byte 2"},
                      BadValue{"\xff", "invalid UTF-8 byte 0xff at byte 0"},
                      BadValue{"a\x80", "invalid UTF-8 byte 0x80 at byte 1"},
                      BadValue{"caf\xc3", "truncated UTF-8 sequence at byte 3"},
                      BadValue{"\xe2\x82x", "invalid UTF-8 sequence at byte 0"},
                      BadValue{"\xc0\xaf", "overlong UTF-8 encoding of U+002F at byte 0"},
                      BadValue{"\xe0\x80\xaf", "overlong UTF-8 encoding of U+002F at byte 0"},
                      BadValue{"\xf0\x82\x82\xac", "overlong UTF-8 encoding of U+20AC at byte 0"},
                      BadValue{"x\xed\xa0\x80", "UTF-16 surrogate U+D800 in UTF-8 at byte 1"},
                      BadValue{"\xed\xbf\xbf", "UTF-16 surrogate U+DFFF in UTF-8 at byte 0"},
                      BadValue{"\xf4\x90\x80\x80", "code point U+110000 above U+10FFFF at byte 0"},
                      BadValue{"\xf7\xbf\xbf\xbf",
                               "code point U+1FFFFF above U+10FFFF at byte 0"}));

TEST(Metadata, AcceptsMultibyteUtf8UpToTheLastCodePoint) {
  EXPECT_EQ(generate(named("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xc2\xa0")),
            "{\"name\":\"caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xc2\xa0\"}");
}

TEST(Metadata, ValidateValueNamesWhatItChecks) {
  auto status = pkgnote::validateValue("--app-cpe", "a\rb");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "--app-cpe: control character U+000D at byte 1");
  EXPECT_TRUE(pkgnote::validateValue("--app-cpe", "cpe:/a:x:y"));
}

TEST(Metadata, RejectsMalformedSet) {
  MetadataRequest request;
  request.set = {"foo"};
  EXPECT_EQ(generate(request), "error: --set 'foo': missing '=' (expected KEY=VALUE)");
  request.set = {"=x"};
  EXPECT_EQ(generate(request), "error: --set: empty key (expected KEY=VALUE)");
  request.set = {"foo="};
  EXPECT_EQ(generate(request), "error: --set foo: empty value");
  request.set = {"f\x01o=x"};
  EXPECT_EQ(generate(request), "error: --set key: control character U+0001 at byte 1");
  request.set = {"foo=\xff"};
  EXPECT_EQ(generate(request), "error: --set foo: invalid UTF-8 byte 0xff at byte 0");
}

TEST(Metadata, AcceptsPayloadOfExactly64KiBAndRejectsOneByteMore) {
  // {"name":"…"} is 11 bytes around the value.
  MetadataRequest request = named(std::string(pkgnote::kMaxPayloadBytes - 11, 'a'));
  std::string json = generate(request);
  EXPECT_EQ(json.size(), pkgnote::kMaxPayloadBytes) << json.substr(0, 80);
  request = named(std::string(pkgnote::kMaxPayloadBytes - 10, 'a'));
  EXPECT_EQ(generate(request), "error: payload is 65537 bytes, over the 65536-byte limit");
}

TEST(Metadata, EscapedCharactersCountTowardsThePayloadLimit) {
  // Each quote becomes two bytes in JSON.
  MetadataRequest request = named(std::string(pkgnote::kMaxPayloadBytes / 2, '"'));
  EXPECT_EQ(generate(request), "error: payload is 65547 bytes, over the 65536-byte limit");
}

TEST(Metadata, OsCpeAutoPrefersSystemReleaseCpe) {
  TempDir root;
  root.write("usr/lib/system-release-cpe", "cpe:/o:fedoraproject:fedora:39\n");
  root.write("etc/os-release", "ID=fedora\nVERSION_ID=39\nCPE_NAME=\"cpe:/o:other:other:1\"\n");
  MetadataRequest request = named("foo");
  request.osCpe = "auto";
  request.root = root.path();
  EXPECT_EQ(generate(request), R"({"name":"foo","osCpe":"cpe:/o:fedoraproject:fedora:39"})");
}

TEST(Metadata, OsCpeAutoFallsBackToCpeNameFromOsRelease) {
  TempDir root;
  root.write("etc/os-release",
             "ID=fedora\nVERSION_ID=39\nCPE_NAME=\"cpe:/o:fedoraproject:fedora:39\"\n");
  MetadataRequest request = named("foo");
  request.osCpe = "auto";
  request.root = root.path();
  EXPECT_EQ(generate(request), R"({"name":"foo","osCpe":"cpe:/o:fedoraproject:fedora:39"})");
}

TEST(Metadata, OsCpeAutoWithoutCpeWritesOsAndOsVersion) {
  TempDir root;
  root.write("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                   "VERSION_ID=\"12\"\nID=debian\n");
  MetadataRequest request = named("foo");
  request.osCpe = "auto";
  request.root = root.path();
  request.set = {"extra=1"};
  EXPECT_EQ(generate(request), R"({"name":"foo","os":"debian","osVersion":"12","extra":"1"})");
}

TEST(Metadata, ExplicitOsWinsOverDerivedWithoutClash) {
  TempDir root;
  root.write("etc/os-release", "ID=debian\nVERSION_ID=12\n");
  MetadataRequest request = named("foo");
  request.osCpe = "auto";
  request.root = root.path();
  request.os = "mydistro";
  request.set = {"osVersion=7"};
  EXPECT_EQ(generate(request), R"({"name":"foo","os":"mydistro","osVersion":"7"})");
}

TEST(Metadata, OsCpeAutoClashesWithSetOsCpe) {
  TempDir root;
  root.write("usr/lib/system-release-cpe", "cpe:/o:fedoraproject:fedora:39\n");
  MetadataRequest request;
  request.osCpe = "auto";
  request.root = root.path();
  request.set = {"osCpe=cpe:/o:x:y"};
  EXPECT_EQ(generate(request),
            "error: key clash: 'osCpe' is given by both --os-cpe auto and --set osCpe");
}

TEST(Metadata, OsCpeAutoFailsOnMissingRootOrOsRelease) {
  TempDir root;
  MetadataRequest request = named("foo");
  request.osCpe = "auto";
  request.root = root.path();
  EXPECT_EQ(generate(request), "error: --os-cpe auto: root '" + root.path() +
                                   "': no usr/lib/system-release-cpe, etc/os-release or "
                                   "usr/lib/os-release");
  request.root = root / "missing";
  EXPECT_EQ(generate(request),
            "error: --os-cpe auto: root '" + root.path() + "/missing': no such file or directory");
}

TEST(Metadata, ExplicitOsCpeReadsNothingFromTheRoot) {
  TempDir root;
  MetadataRequest request = named("foo");
  request.osCpe = "cpe:/o:debian:debian_linux:12";
  request.root = root / "missing";
  EXPECT_EQ(generate(request), R"({"name":"foo","osCpe":"cpe:/o:debian:debian_linux:12"})");
}

TEST(Metadata, OsCpeAutoRejectsControlCharacterInRootCpe) {
  TempDir root;
  root.write("usr/lib/system-release-cpe", "cpe:/o:x\x1b[31m:y\n");
  MetadataRequest request;
  request.osCpe = "auto";
  request.root = root.path();
  EXPECT_EQ(generate(request), "error: --os-cpe auto: control character U+001B at byte 8");
}
