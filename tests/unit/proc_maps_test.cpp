// SPDX-License-Identifier: MIT
// parseMaps (lib/src/live/proc_maps.h) over lines as Linux 6 prints them in /proc/PID/maps: file
// mappings (with spaces, a "(deleted)" mark, an escaped newline), anonymous and special ones, and
// lines that do not parse.
#include "live/proc_maps.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

namespace pkgnote::detail {
namespace {

std::vector<Mapping> parsed(std::string_view text) {
  auto mappings = parseMaps(text, "maps");
  EXPECT_TRUE(static_cast<bool>(mappings)) << llvm::toString(mappings.takeError());
  return mappings ? std::move(*mappings) : std::vector<Mapping>{};
}

TEST(ProcMaps, ReadsAFileMapping) {
  auto maps = parsed("7fb652980000-7fb6529a6000 r-xp 00026000 fe:01 10953987                   "
                     "/usr/lib/x86_64-linux-gnu/libc.so.6\n");
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].start, 0x7fb652980000u);
  EXPECT_EQ(maps[0].end, 0x7fb6529a6000u);
  EXPECT_EQ(maps[0].offset, 0x26000u);
  EXPECT_EQ(maps[0].device, makedev(0xfe, 0x01));
  EXPECT_EQ(maps[0].inode, 10953987u);
  EXPECT_TRUE(maps[0].readable);
  EXPECT_TRUE(maps[0].executable);
  EXPECT_EQ(maps[0].path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_FALSE(maps[0].deleted);
  EXPECT_TRUE(maps[0].fileBacked());
}

TEST(ProcMaps, DeletedMarkIsTakenOffThePath) {
  auto maps = parsed("55c2dab25000-55c2dab27000 r--p 00000000 fe:00 42 /tmp/a b/libv.so (deleted)");
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].path, "/tmp/a b/libv.so");
  EXPECT_TRUE(maps[0].deleted);
}

TEST(ProcMaps, EscapedNewlineInPathIsRestored) {
  auto maps = parsed("1000-2000 r--p 00000000 08:01 7 /tmp/odd\\012name\n");
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].path, "/tmp/odd\nname");
}

TEST(ProcMaps, AnonymousAndSpecialMappingsAreNotFiles) {
  auto maps = parsed("55c2fbdc9000-55c2fbdea000 rw-p 00000000 00:00 0                          "
                     "[heap]\n7fb65297d000-7fb652980000 rw-p 00000000 00:00 0 \n"
                     "7ffd1000-7ffd3000 r-xp 00000000 00:00 0                  [vdso]\n");
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_EQ(maps[0].path, "[heap]");
  EXPECT_EQ(maps[1].path, "");
  for (const Mapping &mapping : maps)
    EXPECT_FALSE(mapping.fileBacked());
}

TEST(ProcMaps, LineThatDoesNotParseIsAnErrorNamingIt) {
  auto maps = parseMaps("1000-2000 r--p 00000000 08:01 7 /a\n1000 r--p 0 08:01 7 /b\n", "maps");
  ASSERT_FALSE(static_cast<bool>(maps));
  EXPECT_EQ(llvm::toString(maps.takeError()), "'maps': line 2 does not parse");
}

} // namespace
} // namespace pkgnote::detail
