// SPDX-License-Identifier: MIT
// verify's pure parts: the expected keys (header and overrides), the verdict on a note, the JSON
// and text renderings, the deb control fields, in-package paths and the ELF type test.
#include "pkgnote/verify.h"
#include "verify/deb_control.h"
#include "verify/package_checker.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace pkgnote {
namespace {

PackageMetadata rpmHeader() {
  return PackageMetadata{{{"type", "rpm"}, {"name", "emu"}, {"version", "1.0-1"},
                          {"architecture", "x86_64"}}};
}

TEST(Verify, OverridesReplaceHeaderValuesAndAddKeys) {
  PackageMetadata overrides{{{"version", "2.0-1"}, {"os", "fedora"}}};
  PackageMetadata expected = mergeExpected(rpmHeader(), overrides);
  ASSERT_EQ(expected.fields.size(), 5u);
  EXPECT_EQ(*expected.version(), "2.0-1");
  EXPECT_EQ(*expected.find("os"), "fedora");
  EXPECT_EQ(expected.fields[1].first, "name");
}

TEST(Verify, OnlyExpectedKeysAreCompared) {
  PackageMetadata found = rpmHeader();
  found.fields.emplace_back("osCpe", "cpe:/o:fedoraproject:fedora:39");
  FileVerdict verdict = judgeNote(rpmHeader(), found);
  EXPECT_EQ(verdict.verdict, Verdict::Ok);
  EXPECT_TRUE(verdict.differences.empty());
}

TEST(Verify, MismatchNamesEachDifferingKey) {
  PackageMetadata found{{{"type", "rpm"}, {"name", "emu"}, {"version", "0.9-1"}}};
  FileVerdict verdict = judgeNote(rpmHeader(), found);
  EXPECT_EQ(verdict.verdict, Verdict::Mismatch);
  EXPECT_EQ(verdict.differences, (std::vector<std::string>{"version", "architecture"}));
  verdict.package = "emu.rpm";
  verdict.path = "/usr/bin/emu";
  EXPECT_EQ(verdictToText(verdict), "emu.rpm: /usr/bin/emu: mismatch: version expected '1.0-1', "
                                    "found '0.9-1', architecture expected 'x86_64', found none");
  auto json = nlohmann::json::parse(verdictToJson(verdict));
  EXPECT_EQ(json["verdict"], "mismatch");
  EXPECT_EQ(json["differences"], nlohmann::json::array({"version", "architecture"}));
  EXPECT_EQ(json["found"]["version"], "0.9-1");
  EXPECT_EQ(json["expected"]["version"], "1.0-1");
}

TEST(Verify, NoNoteIsUnstampedWithoutFound) {
  FileVerdict verdict = judgeNote(rpmHeader(), std::nullopt);
  EXPECT_EQ(verdict.verdict, Verdict::Unstamped);
  auto json = nlohmann::json::parse(verdictToJson(verdict));
  EXPECT_FALSE(json.contains("found"));
  EXPECT_FALSE(json.contains("differences"));
}

TEST(Verify, JsonReplacesBytesThatAreNotUtf8) {
  FileVerdict verdict;
  verdict.package = "p.deb";
  verdict.path = "/usr/bin/\xff";
  verdict.verdict = Verdict::Error;
  verdict.error = "bad";
  EXPECT_TRUE(nlohmann::json::accept(verdictToJson(verdict)));
}

TEST(DebControl, SourceWithoutItsVersionNamesThePackage) {
  auto metadata = detail::debExpectedMetadata(
      "Package: udev\nSource: systemd (252.19-1~deb12u1)\nVersion: 252.19-1~deb12u1+b1\n"
      "Architecture: amd64\nDescription: x\n long text: with colons\n");
  ASSERT_TRUE(static_cast<bool>(metadata)) << llvm::toString(metadata.takeError());
  EXPECT_EQ(*metadata->name(), "systemd");
  EXPECT_EQ(*metadata->version(), "252.19-1~deb12u1+b1");
  EXPECT_EQ(*metadata->architecture(), "amd64");
  EXPECT_EQ(*metadata->type(), "deb");
}

TEST(DebControl, PackageWhenNoSource) {
  auto metadata =
      detail::debExpectedMetadata("package: hello\nversion: 1.2-3\narchitecture: arm64\n");
  ASSERT_TRUE(static_cast<bool>(metadata)) << llvm::toString(metadata.takeError());
  EXPECT_EQ(*metadata->name(), "hello");
}

TEST(DebControl, RejectsMissingVersion) {
  auto metadata = detail::debExpectedMetadata("Package: hello\nArchitecture: amd64\n");
  ASSERT_FALSE(static_cast<bool>(metadata));
  EXPECT_EQ(llvm::toString(metadata.takeError()), "control file: no Version field");
}

TEST(Verify, MemberNamesBecomeAbsolutePaths) {
  EXPECT_EQ(detail::packagePath("./usr/bin/x"), "/usr/bin/x");
  EXPECT_EQ(detail::packagePath("usr/bin/x"), "/usr/bin/x");
  EXPECT_EQ(detail::packagePath("/usr/bin/x"), "/usr/bin/x");
  EXPECT_EQ(detail::packagePath("./"), "/");
}

TEST(Verify, ElfTypeDecidesWhatIsChecked) {
  std::string exec64le("\x7f" "ELF\x02\x01\x01", 7);
  exec64le.resize(18, '\0');
  exec64le[16] = 2; // ET_EXEC
  EXPECT_EQ(detail::classifyElf(exec64le), detail::ElfClassification::Checked);
  std::string rel32be = exec64le;
  rel32be[5] = 2; // big endian
  rel32be[16] = 0;
  rel32be[17] = 1; // ET_REL
  EXPECT_EQ(detail::classifyElf(rel32be), detail::ElfClassification::Skipped);
  EXPECT_EQ(detail::classifyElf(exec64le.substr(0, 10)), detail::ElfClassification::Truncated);
  EXPECT_EQ(detail::classifyElf("#!/bin/sh\n"), detail::ElfClassification::NotElf);
}

TEST(Verify, IgnoreMatchesTheAbsolutePathAndANameWithoutSlash) {
  VerifyOptions options;
  options.ignore = {"/usr/lib/*/libfoo.so.*", "ls", "*.a"};
  detail::PackageChecker checker("p.deb", options, [](const FileVerdict &) {});
  EXPECT_TRUE(checker.skippedByPath("/usr/lib/x86_64-linux-gnu/libfoo.so.1"));
  EXPECT_TRUE(checker.skippedByPath("/usr/bin/ls"));     // "ls": the file name
  EXPECT_TRUE(checker.skippedByPath("/usr/lib/libz.a")); // "*.a": the name, or the whole path
  EXPECT_FALSE(checker.skippedByPath("/usr/bin/lsblk"));
  EXPECT_FALSE(checker.skippedByPath("/usr/lib/libfoo.so.1")); // the pattern says a subdirectory
  EXPECT_TRUE(checker.skippedByPath("/usr/lib/debug/usr/bin/x"));
}

TEST(Verify, PackageErrorRecordHasNoPath) {
  FileVerdict failed;
  failed.package = "missing.rpm";
  failed.verdict = Verdict::Error;
  failed.error = "'missing.rpm': no such file or directory";
  EXPECT_EQ(verdictToJson(failed), R"({"package":"missing.rpm","verdict":"error","expected":{},)"
                                   R"("error":"'missing.rpm': no such file or directory"})");
}

} // namespace
} // namespace pkgnote
