// SPDX-License-Identifier: MIT
// verify's payload checks: the cpio header check that runs before libarchive's cpio reader (a
// header stating a name or link target of gigabytes is refused, a real newc stream written by
// libarchive passes, however it is split), and the leaked-flags matcher (which files record build
// flags, which lines leak the note's).
#include "verify/cpio_guard.h"
#include "verify/leaked_flags.h"

#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace pkgnote::detail {
namespace {

// One newc header with the given mode, file size and name size (hex fields as rpm writes them).
std::string newcHeader(unsigned mode, unsigned long fileSize, unsigned long nameSize) {
  char text[256];
  std::snprintf(text, sizeof text, "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
                1u, mode, 0u, 0u, 1u, 0u, fileSize, 0u, 0u, 0u, 0u, nameSize, 0u);
  return std::string(text, 110);
}

llvm::ArrayRef<std::uint8_t> bytes(const std::string &text) {
  return {reinterpret_cast<const std::uint8_t *>(text.data()), text.size()};
}

// A real newc archive from libarchive's writer: a file, a symbolic link, a long name.
std::string realNewc() {
  std::vector<char> buffer(1 << 20);
  std::size_t used = 0;
  struct archive *w = archive_write_new();
  archive_write_set_format_cpio_newc(w);
  archive_write_open_memory(w, buffer.data(), buffer.size(), &used);
  auto add = [&](const std::string &name, unsigned type, const std::string &data,
                 const char *link) {
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, type);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    if (link)
      archive_entry_set_symlink(e, link);
    archive_write_header(w, e);
    archive_write_data(w, data.data(), data.size());
    archive_entry_free(e);
  };
  add("./usr/bin/emu", AE_IFREG, std::string(1000, 'x'), nullptr);
  add("./usr/bin/emu-link", AE_IFLNK, "", "emu");
  add("./usr/share/" + std::string(3000, 'n'), AE_IFREG, "abc", nullptr);
  archive_write_close(w);
  archive_write_free(w);
  return std::string(buffer.data(), used);
}

TEST(CpioHeaderGuard, RefusesANameOfGigabytes) {
  // fuzz_verify_package's input: a symbolic link whose name size is 0x90090090.
  CpioHeaderGuard guard;
  llvm::Error error = guard.feed(bytes(newcHeader(0120777, 9, 0x90090090)));
  ASSERT_TRUE(static_cast<bool>(error));
  EXPECT_EQ(llvm::toString(std::move(error)),
            "cpio member 1: its header states a name of 2416509072 bytes (at most 4098)");
}

TEST(CpioHeaderGuard, RefusesALinkTargetOfGigabytesButNotAFile) {
  CpioHeaderGuard link;
  llvm::Error error = link.feed(bytes(newcHeader(0120777, 0x80000000ul, 12)));
  ASSERT_TRUE(static_cast<bool>(error));
  EXPECT_EQ(llvm::toString(std::move(error)),
            "cpio member 1: its header states a symbolic link target of 2147483648 bytes (at most "
            "4098)");
  CpioHeaderGuard file; // a regular file's data is streamed, never read in one piece
  EXPECT_FALSE(static_cast<bool>(file.feed(bytes(newcHeader(0100755, 0x80000000ul, 12)))));
}

TEST(CpioHeaderGuard, FindsTheSecondMembersHeaderAcrossChunks) {
  std::string stream = newcHeader(0100644, 5, 6) + "./abc" + std::string(1, '\0') + "hello" +
                       std::string(3, '\0') + newcHeader(0100644, 0, 0x10000) + "tail";
  ASSERT_EQ((110 + 6) % 4, 0u);
  CpioHeaderGuard guard;
  llvm::Error error = llvm::Error::success();
  for (char c : stream) { // one byte at a time
    std::string one(1, c);
    if ((error = guard.feed(bytes(one))))
      break;
  }
  ASSERT_TRUE(static_cast<bool>(error));
  EXPECT_EQ(llvm::toString(std::move(error)),
            "cpio member 2: its header states a name of 65536 bytes (at most 4098)");
}

TEST(CpioHeaderGuard, PassesARealNewcArchiveInAnySplit) {
  std::string stream = realNewc();
  ASSERT_GT(stream.size(), 4000u);
  for (std::size_t chunk : {std::size_t(1), std::size_t(7), std::size_t(110), stream.size()}) {
    CpioHeaderGuard guard;
    for (std::size_t at = 0; at < stream.size(); at += chunk)
      ASSERT_FALSE(static_cast<bool>(guard.feed(bytes(stream.substr(at, chunk)))))
          << "chunk " << chunk << " at " << at;
  }
}

TEST(CpioHeaderGuard, StopsCheckingAtWhatIsNotNewc) {
  CpioHeaderGuard guard; // odc or garbage: libarchive's to judge
  EXPECT_FALSE(static_cast<bool>(guard.feed(bytes("070707" + std::string(200, 'f')))));
}

TEST(LeakedFlags, FilesThatRecordBuildFlags) {
  for (const char *path :
       {"/usr/lib64/ruby/3.2.0/x86_64-linux/rbconfig.rb",
        "/usr/lib/python3.11/_sysconfigdata__linux_x86_64-linux-gnu.py",
        "/usr/lib64/pkgconfig/ruby-3.2.pc", "/usr/lib64/cmake/Foo/FooTargets.cmake",
        "/usr/lib64/python3.11/config-3.11/Makefile", "/usr/share/foo/Makefile.in",
        "/usr/lib64/ruby/include/config.mk", "/usr/lib64/libfoo.la"})
    EXPECT_TRUE(recordsBuildFlags(path)) << path;
  for (const char *path :
       {"/usr/bin/ruby", "/usr/lib/python3.11/sysconfig.py", "/usr/share/doc/foo/rbconfig.rb.txt",
        "/usr/lib64/libfoo.so.1", "/usr/share/pc/readme", "/usr/lib/rbconfig.rb/x"})
    EXPECT_FALSE(recordsBuildFlags(path)) << path;
}

TEST(LeakedFlags, AmazonLinuxRbconfigLineIsFound) {
  // The line Amazon Linux 2023's ruby saved (fluent-package-builder issue 590), second of three.
  std::string text =
      "  CONFIG[\"CC\"] = \"gcc\"\n"
      "  CONFIG[\"LDFLAGS\"] = \"-L. -Wl,-z,relro -Wl,--as-needed  "
      "-Wl,-dT,/builddir/build/BUILD/.package_note-ruby-3.2.2-180.amzn2023.0.1.x86_64.ld\"  \n"
      "  CONFIG[\"LIBS\"] = \"-lm\"\n";
  EXPECT_EQ(findLeakedFlags(text),
            "CONFIG[\"LDFLAGS\"] = \"-L. -Wl,-z,relro -Wl,--as-needed  "
            "-Wl,-dT,/builddir/build/BUILD/.package_note-ruby-3.2.2-180.amzn2023.0.1.x86_64.ld\"");
}

TEST(LeakedFlags, EveryNoteFileAndFlagFormIsFound) {
  for (const char *line :
       {"Libs: -L${libdir} -lfoo -Wl,/tmp/b/.package_note-foo-1-1.x86_64.o",
        "LDFLAGS = -Wl,-dT,/build/foo-1/debian/.debhelper/pkgnote/package-note.ld",
        "LDFLAGS = -Wl,/build/foo-1/debian/.debhelper/pkgnote/package-note.o",
        "'LDFLAGS': '-Wl,-dT,/build/foo/debian/.debhelper/notes.ld'",
        "linker_flags='-Xlinker --package-metadata={\"type\":\"deb\"}'",
        "set(FOO_LINK_FLAGS \"-Wl,--package-metadata=%7B%7D\")",
        "LDFLAGS=-specs=/usr/lib/rpm/redhat/redhat-package-notes -Wl,-z,now",
        "LDFLAGS=-specs=/tmp/b/package_note.specs"})
    EXPECT_TRUE(findLeakedFlags(std::string("x = 1\n") + line + "\n").has_value()) << line;
}

TEST(LeakedFlags, CleanFilesAndLookAlikesAreNot) {
  for (const char *text : {"Libs: -L${libdir} -lfoo\nCflags: -I${includedir}\n",
                           "LDFLAGS = -Wl,-z,relro -Wl,-dT,/usr/share/foo/layout.ld "
                           "-specs=/usr/lib/rpm/redhat/redhat-hardened-ld\n",
                           "# package_note handling lives in package-note.c\n", ""})
    EXPECT_EQ(findLeakedFlags(text), std::nullopt) << text;
  // Not text: a NUL byte (a compiled file that happens to be named *.la).
  EXPECT_EQ(findLeakedFlags(std::string("a\0b .package_note-x.ld\n", 23)), std::nullopt);
}

TEST(LeakedFlags, TheShownLineIsTrimmedAndBounded) {
  std::string longLine = "  LDFLAGS=" + std::string(500, 'x') + " .package_note-a.ld\r\n";
  std::optional<std::string> found = findLeakedFlags(longLine);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->size(), 240u);
  EXPECT_EQ(found->substr(0, 10), "LDFLAGS=xx");
}

} // namespace
} // namespace pkgnote::detail
