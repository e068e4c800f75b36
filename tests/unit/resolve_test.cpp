// SPDX-License-Identifier: MIT
// The pieces of the loader resolution (resolve/): dynamic string tokens, ld.so.conf and its
// includes, symbolic links inside a root, and the search that skips a library of another class.
// The roots are real directories; a "library" needs only the ELF header bytes the loader checks.
#include "resolve/disk_root.h"
#include "resolve/ld_so_conf.h"
#include "resolve/loader_search.h"
#include "resolve/search_path.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pkgnote::detail {
namespace {

using pkgnote::testing::TempDir;

TokenValues tokens() { return TokenValues{"/opt/app/bin", "lib/x86_64-linux-gnu", "x86_64"}; }

TEST(SearchEntryTest, ExpandsOriginLibAndPlatformInBothSpellings) {
  EXPECT_EQ(expandSearchEntry("$ORIGIN/../lib", tokens()), "/opt/app/bin/../lib");
  EXPECT_EQ(expandSearchEntry("${ORIGIN}/../lib", tokens()), "/opt/app/bin/../lib");
  EXPECT_EQ(expandSearchEntry("/usr/$LIB/app", tokens()), "/usr/lib/x86_64-linux-gnu/app");
  EXPECT_EQ(expandSearchEntry("/usr/${LIB}/app", tokens()), "/usr/lib/x86_64-linux-gnu/app");
  EXPECT_EQ(expandSearchEntry("/opt/$PLATFORM/", tokens()), "/opt/x86_64");
  EXPECT_EQ(expandSearchEntry("$ORIGIN", tokens()), "/opt/app/bin");
}

TEST(SearchEntryTest, LeavesUnknownTokensAndDropsWhatTheRootCannotAnswer) {
  EXPECT_EQ(expandSearchEntry("/opt/$ORIGINS", tokens()), "/opt/$ORIGINS"); // not $ORIGIN
  EXPECT_EQ(expandSearchEntry("/opt/$HOME/lib", tokens()), "/opt/$HOME/lib");
  EXPECT_EQ(expandSearchEntry("", tokens()), std::nullopt);
  EXPECT_EQ(expandSearchEntry("lib", tokens()), std::nullopt); // relative to an unknown cwd
  EXPECT_EQ(expandSearchPath("$ORIGIN/a::b:/c", tokens()),
            (std::vector<std::string>{"/opt/app/bin/a", "/c"}));
}

TEST(SearchEntryTest, DefaultDirectoriesFollowClassAndMachine) {
  ElfIdentity x86_64{2, 1, 62}, i386{1, 1, 3};
  EXPECT_EQ(defaultDirectories(x86_64),
            (std::vector<std::string>{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                                      "/lib64", "/usr/lib64", "/lib", "/usr/lib"}));
  EXPECT_EQ(defaultDirectories(i386),
            (std::vector<std::string>{"/lib/i386-linux-gnu", "/usr/lib/i386-linux-gnu", "/lib",
                                      "/usr/lib"}));
}

TEST(LdSoConfTest, ParsesDirectoriesIncludesAndComments) {
  using Kind = LdSoConfLine::Kind;
  auto lines = parseLdSoConf("# comment\n"
                             "include /etc/ld.so.conf.d/*.conf\n"
                             "  /usr/local/lib   # trailing comment\n"
                             "\n"
                             "hwcap 1 nosegneg\n"
                             "include a.conf b/*.conf\n"
                             "/opt/lib/=libc6\n"
                             "/opt/x/\r\n");
  EXPECT_EQ(lines, (std::vector<LdSoConfLine>{{Kind::Include, "/etc/ld.so.conf.d/*.conf"},
                                              {Kind::Directory, "/usr/local/lib"},
                                              {Kind::Include, "a.conf"},
                                              {Kind::Include, "b/*.conf"},
                                              {Kind::Directory, "/opt/lib"},
                                              {Kind::Directory, "/opt/x"}}));
}

TEST(LdSoConfTest, ExpandsIncludesInGlobOrderRelativeToTheIncludingFile) {
  TempDir root;
  root.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n/last\n");
  root.write("etc/ld.so.conf.d/b.conf", "/b\ninclude more.conf\n");
  root.write("etc/ld.so.conf.d/a.conf", "/a\n/b\n");
  root.write("etc/ld.so.conf.d/more.conf", "/more\n");
  root.write("etc/ld.so.conf.d/c.conf.disabled", "/never\n");
  root.write("etc/ld.so.conf.d/.hidden.conf", "/hidden\n");
  DiskRoot disk(root.path());
  // a.conf, b.conf (which includes more.conf, relative to its directory), more.conf again
  // (listed once), then the main file's own line.
  EXPECT_EQ(ldSoConfDirectories(disk), (std::vector<std::string>{"/a", "/b", "/more", "/last"}));
}

TEST(LdSoConfTest, IncludesThatLoopStop) {
  TempDir root;
  root.write("etc/ld.so.conf", "/one\ninclude /etc/ld.so.conf\n");
  DiskRoot disk(root.path());
  EXPECT_EQ(ldSoConfDirectories(disk), (std::vector<std::string>{"/one"}));
}

TEST(RootViewTest, SymlinksAreFollowedInsideTheRootOnly) {
  TempDir root;
  root.write("usr/lib/libz.so.1.3", "z");
  std::filesystem::create_directory_symlink("usr/lib", root / "lib");
  std::filesystem::create_symlink("libz.so.1.3", root / "usr/lib/libz.so.1");
  std::filesystem::create_symlink("/usr/lib/libz.so.1", root / "usr/lib/abs.so");
  std::filesystem::create_symlink("../../../../../../../etc/passwd", root / "usr/lib/escape.so");
  DiskRoot disk(root.path());
  EXPECT_EQ(disk.resolve("/lib/libz.so.1"), "/usr/lib/libz.so.1.3");
  EXPECT_EQ(disk.resolve("/usr/lib/abs.so"), "/usr/lib/libz.so.1.3");
  EXPECT_EQ(disk.resolve("/usr/lib/escape.so"), std::nullopt); // /etc/passwd of the root: none
  EXPECT_EQ(disk.resolve("/usr/lib/libz.so.1.3/x"), std::nullopt);
  EXPECT_EQ(disk.printed("/usr/lib/libz.so.1.3"), root.path() + "/usr/lib/libz.so.1.3");
  EXPECT_EQ(disk.insidePathOf(root.path() + "/usr/bin/../lib/x"), "/usr/lib/x");
}

// The ELF header bytes DiskRoot::identity reads: e_ident and e_machine.
std::string header(unsigned char elfClass, std::uint16_t machine) {
  std::string bytes(64, '\0');
  bytes.replace(0, 4,
                "\x7f"
                "ELF");
  bytes[4] = static_cast<char>(elfClass);
  bytes[5] = 1;
  bytes[18] = static_cast<char>(machine & 0xff);
  bytes[19] = static_cast<char>(machine >> 8);
  return bytes;
}

TEST(LoaderSearchTest, SkipsLibrariesOfAnotherClassAndFollowsRunpathFirst) {
  TempDir root;
  root.write("usr/lib/x86_64-linux-gnu/libfoo.so.1", header(1, 3)); // 32-bit: skipped
  root.write("usr/lib/libfoo.so.1", header(2, 62));
  root.write("opt/app/bin/app", header(2, 62));
  root.write("opt/app/lib/libbar.so.2", header(2, 62));
  root.write("usr/lib/libbar.so.2", header(2, 62));
  root.write("usr/lib/libtext.so", "INPUT(-lfoo)\n"); // not ELF: skipped
  DiskRoot disk(root.path());
  LoaderSearch search(disk);
  FileReport report;
  report.elfClass = 2;
  report.elfData = 1;
  report.machine = 62;
  report.dependencies = Dependencies{};
  report.dependencies->needed = {"libfoo.so.1", "libbar.so.2", "libtext.so", "libnone.so.0"};
  report.dependencies->runpath = "$ORIGIN/../lib";
  search.resolve("/opt/app/bin/app", report);
  using Resolved = std::vector<std::pair<std::string, std::optional<std::string>>>;
  EXPECT_EQ(report.dependencies->resolved,
            (Resolved{{"libfoo.so.1", root.path() + "/usr/lib/libfoo.so.1"},
                      {"libbar.so.2", root.path() + "/opt/app/lib/libbar.so.2"},
                      {"libtext.so", std::nullopt},
                      {"libnone.so.0", std::nullopt}}));
}

TEST(LoaderSearchTest, RpathCountsOnlyWithoutRunpath) {
  TempDir root;
  root.write("a/libx.so", header(2, 62));
  root.write("b/libx.so", header(2, 62));
  DiskRoot disk(root.path());
  LoaderSearch search(disk);
  EXPECT_EQ(search.find("libx.so", ElfIdentity{2, 1, 62}, {"/b", "/a"}), "/b/libx.so");
  FileReport report;
  report.elfClass = 2, report.elfData = 1, report.machine = 62;
  report.dependencies = Dependencies{};
  report.dependencies->needed = {"libx.so"};
  report.dependencies->rpath = "/a";
  report.dependencies->runpath = "/b";
  search.resolve("/bin/x", report);
  EXPECT_EQ(report.dependencies->resolved.at(0).second, root.path() + "/b/libx.so");
  report.dependencies->runpath.reset();
  search.resolve("/bin/x", report);
  EXPECT_EQ(report.dependencies->resolved.at(0).second, root.path() + "/a/libx.so");
}

} // namespace
} // namespace pkgnote::detail
