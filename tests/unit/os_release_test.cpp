// SPDX-License-Identifier: MIT
// os-release(5) parsing (shell quoting, escapes, comments, missing keys) and readOsIdentity's
// search order inside a build root, including symlinks that must not escape the root.
#include "pkgnote/os_release.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <unistd.h>

using pkgnote::OsRelease;
using pkgnote::parseOsRelease;
using pkgnote::readOsIdentity;
using pkgnote::testing::TempDir;

TEST(OsRelease, ParsesDebianFile) {
  OsRelease fields = parseOsRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                                    "NAME=\"Debian GNU/Linux\"\n"
                                    "VERSION_ID=\"12\"\n"
                                    "ID=debian\n"
                                    "HOME_URL=\"https://www.debian.org/\"\n");
  EXPECT_EQ(fields, (OsRelease{{"PRETTY_NAME", "Debian GNU/Linux 12 (bookworm)"},
                               {"NAME", "Debian GNU/Linux"},
                               {"VERSION_ID", "12"},
                               {"ID", "debian"},
                               {"HOME_URL", "https://www.debian.org/"}}));
}

TEST(OsRelease, UndoesShellQuotingAndEscapes) {
  OsRelease fields = parseOsRelease("SINGLE='a \"b\" \\n c'\n"
                                    "DOUBLE=\"say \\\"hi\\\" \\$HOME \\\\ \\` \\n\"\n"
                                    "PLAIN=foo\\ bar\n"
                                    "MIXED=a\"b c\"'d e'f\n"
                                    "TRAILING=value   \n"
                                    "QUOTED_TRAILING=\"value  \"\n"
                                    "EMPTY=\n"
                                    "EMPTY_QUOTES=\"\"\n");
  EXPECT_EQ(fields.at("SINGLE"), "a \"b\" \\n c");
  EXPECT_EQ(fields.at("DOUBLE"), "say \"hi\" $HOME \\ ` \\n");
  EXPECT_EQ(fields.at("PLAIN"), "foo bar");
  EXPECT_EQ(fields.at("MIXED"), "ab cd ef");
  EXPECT_EQ(fields.at("TRAILING"), "value");
  EXPECT_EQ(fields.at("QUOTED_TRAILING"), "value  ");
  EXPECT_EQ(fields.at("EMPTY"), "");
  EXPECT_EQ(fields.at("EMPTY_QUOTES"), "");
}

TEST(OsRelease, SkipsCommentsBlankLinesAndNonAssignments) {
  OsRelease fields = parseOsRelease("# ID=commented\n"
                                    "\n"
                                    "   \t\n"
                                    "  # indented comment\n"
                                    "not an assignment\n"
                                    "1BAD=x\n"
                                    "  ID=fedora\r\n"
                                    "VERSION_ID=39");
  EXPECT_EQ(fields, (OsRelease{{"ID", "fedora"}, {"VERSION_ID", "39"}}));
}

TEST(OsRelease, QuotedValueMaySpanLinesAndLaterAssignmentWins) {
  OsRelease fields = parseOsRelease("A=\"one\ntwo\"\nB=1\nB=2\nC=x\\\ny\n");
  EXPECT_EQ(fields.at("A"), "one\ntwo");
  EXPECT_EQ(fields.at("B"), "2");
  EXPECT_EQ(fields.at("C"), "xy");
}

TEST(OsRelease, MissingKeysAreAbsent) {
  OsRelease fields = parseOsRelease("NAME=Foo\n");
  EXPECT_EQ(fields.count("ID"), 0u);
  EXPECT_EQ(fields.count("VERSION_ID"), 0u);
}

TEST(OsIdentity, EtcOsReleaseTakesPrecedenceOverUsrLib) {
  TempDir root;
  root.write("etc/os-release", "ID=etc\nVERSION_ID=1\n");
  root.write("usr/lib/os-release", "ID=usr\nVERSION_ID=2\nCPE_NAME=cpe:/o:usr:usr:2\n");
  auto identity = readOsIdentity(root.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->id, "etc");
  EXPECT_EQ(identity->versionId, "1");
  EXPECT_FALSE(identity->cpe);
}

TEST(OsIdentity, MissingIdAndVersionStayUnset) {
  TempDir root;
  root.write("usr/lib/os-release", "NAME=Foo\nVERSION_ID=\n");
  auto identity = readOsIdentity(root.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_FALSE(identity->id);
  EXPECT_FALSE(identity->versionId);
  EXPECT_FALSE(identity->cpe);
}

TEST(OsIdentity, SystemReleaseCpeAloneIsEnough) {
  TempDir root;
  root.write("usr/lib/system-release-cpe", "  cpe:/o:fedoraproject:fedora:39 \nsecond line\n");
  auto identity = readOsIdentity(root.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->cpe, "cpe:/o:fedoraproject:fedora:39");
  EXPECT_FALSE(identity->id);
}

TEST(OsIdentity, AbsoluteSymlinkResolvesInsideTheRoot) {
  TempDir root;
  root.write("usr/lib/os-release", "ID=inside\n");
  root.write("etc/.keep", "");
  ASSERT_EQ(::symlink("/usr/lib/os-release", (root / "etc/os-release").c_str()), 0);
  auto identity = readOsIdentity(root.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->id, "inside");
}

TEST(OsIdentity, RelativeSymlinkCannotClimbOutOfTheRoot) {
  TempDir outer;
  outer.write("usr/lib/os-release", "ID=outside\n");
  outer.write("root/usr/lib/os-release", "ID=inside\n");
  outer.write("root/etc/.keep", "");
  // The kernel would resolve this from root/etc to outer/usr/lib/os-release; inside the root,
  // ".." at the top stays at the top, as under chroot.
  ASSERT_EQ(::symlink("../../usr/lib/os-release", (outer / "root/etc/os-release").c_str()), 0);
  auto identity = readOsIdentity(outer / "root");
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->id, "inside");
}

TEST(OsIdentity, SymlinkLoopIsAnError) {
  TempDir root;
  root.write("etc/.keep", "");
  ASSERT_EQ(::symlink("os-release", (root / "etc/os-release").c_str()), 0);
  auto identity = readOsIdentity(root.path());
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().message,
            "'" + (root / "etc/os-release") + "': too many levels of symbolic links");
}

TEST(OsIdentity, DanglingSymlinkFallsBackToUsrLib) {
  TempDir root;
  root.write("usr/lib/os-release", "ID=usr\n");
  root.write("etc/.keep", "");
  ASSERT_EQ(::symlink("/nowhere/os-release", (root / "etc/os-release").c_str()), 0);
  auto identity = readOsIdentity(root.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->id, "usr");
}

TEST(OsIdentity, RejectsRootThatIsNotADirectory) {
  TempDir dir;
  dir.write("file", "x");
  auto identity = readOsIdentity(dir / "file");
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().message, "root '" + (dir / "file") + "': not a directory");
}

TEST(OsIdentity, RejectsOsReleaseThatIsADirectory) {
  TempDir root;
  root.write("etc/os-release/x", "");
  auto identity = readOsIdentity(root.path());
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().message, "'" + (root / "etc/os-release") + "': not a regular file");
}
