// SPDX-License-Identifier: MIT
// The file side of `pkgnote stamp`, on real files: extended attributes carried to the replacing
// copy (io/file_attributes.h), each file listed once with its hard links (collectStampInputs),
// the names of a file that stampFile may replace (stamp/stamp_links.h), and what is not a regular
// file refused before it is opened.
#include "io/file_attributes.h"
#include "pkgnote/stamp.h"
#include "stamp/stamp_links.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

using pkgnote::collectStampInputs;
using pkgnote::StampInput;
using pkgnote::testing::TempDir;

namespace {

std::string attribute(const std::string &path, const char *name) {
  char value[64];
  ssize_t size = ::getxattr(path.c_str(), name, value, sizeof value);
  return size < 0 ? "(none)" : std::string(value, static_cast<std::size_t>(size));
}

struct stat statOf(const std::string &path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st;
}

} // namespace

TEST(StampFiles, CopiesExtendedAttributesAndDropsThoseTheSourceLacks) {
  TempDir dir;
  dir.write("from", "a");
  dir.write("to", "b");
  if (::setxattr((dir / "from").c_str(), "user.kept", "1", 1, 0) != 0)
    GTEST_SKIP() << "no user.* attributes on this file system: errno " << errno;
  ASSERT_EQ(::setxattr((dir / "from").c_str(), "user.changed", "new", 3, 0), 0);
  ASSERT_EQ(::setxattr((dir / "from").c_str(), "user.empty", "", 0, 0), 0);
  ASSERT_EQ(::setxattr((dir / "to").c_str(), "user.changed", "old", 3, 0), 0);
  ASSERT_EQ(::setxattr((dir / "to").c_str(), "user.stray", "x", 1, 0), 0);
  int from = ::open((dir / "from").c_str(), O_RDONLY);
  int to = ::open((dir / "to").c_str(), O_RDWR);
  pkgnote::FillFailure failure = pkgnote::detail::copyExtendedAttributes(from, to);
  ::close(from);
  ::close(to);
  EXPECT_EQ(failure.errnum, 0) << failure.problem;
  EXPECT_EQ(attribute(dir / "to", "user.kept"), "1");
  EXPECT_EQ(attribute(dir / "to", "user.changed"), "new");
  EXPECT_EQ(attribute(dir / "to", "user.empty"), "");
  EXPECT_EQ(attribute(dir / "to", "user.stray"), "(none)");
}

TEST(StampFiles, ListsEachFileOnceWithItsHardLinks) {
  TempDir dir;
  dir.write("tree/bin/b", "elf?");
  dir.write("tree/lib/only", "x");
  ASSERT_EQ(::link((dir / "tree/bin/b").c_str(), (dir / "tree/bin/a").c_str()), 0);
  ASSERT_EQ(::link((dir / "tree/bin/b").c_str(), (dir / "tree/sbin-b").c_str()), 0);
  ASSERT_EQ(::symlink("b", (dir / "tree/bin/s").c_str()), 0);
  std::vector<StampInput> inputs =
      collectStampInputs({dir / "tree", dir / "tree/bin/b", dir / "tree/lib/only"}, true);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].input.path, dir / "tree/bin/a"); // sorted, depth first: the first name met
  EXPECT_EQ(inputs[0].hardLinks, (std::vector<std::string>{dir / "tree/bin/b", dir / "tree/sbin-b",
                                                           dir / "tree/bin/b"}));
  EXPECT_EQ(inputs[1].input.path, dir / "tree/lib/only");
  // Named again: stampFile finds that the name is the one stamped.
  EXPECT_EQ(inputs[1].hardLinks, std::vector<std::string>{dir / "tree/lib/only"});
}

TEST(StampFiles, ReplacesOnlyNamesThatStillNameTheFile) {
  TempDir dir;
  dir.write("a", "x");
  dir.write("unrelated", "x");
  ASSERT_EQ(::link((dir / "a").c_str(), (dir / "b").c_str()), 0);
  ASSERT_EQ(::link((dir / "a").c_str(), (dir / "c").c_str()), 0);
  ASSERT_EQ(::symlink("a", (dir / "s").c_str()), 0);
  struct stat info = statOf(dir / "a");
  char *target = ::realpath((dir / "a").c_str(), nullptr);
  ASSERT_NE(target, nullptr);
  std::vector<std::string> links = pkgnote::detail::hardLinksToReplace(
      info, {dir / "s", dir / "b", dir / "unrelated", dir / "./b", dir / "a", dir / "missing"},
      target);
  std::free(target);
  EXPECT_EQ(links, std::vector<std::string>{dir / "b"});
  EXPECT_EQ(pkgnote::detail::linksNotGiven(info, links.size()), 1u); // c
}

TEST(StampFiles, RefusesAFifoWithoutWaitingForAWriter) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  auto outcome = pkgnote::stampFile(dir / "fifo", "{}", pkgnote::StampOptions{});
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "'" + (dir / "fifo") + "': not a regular file (a FIFO)");
  EXPECT_TRUE(S_ISFIFO(statOf(dir / "fifo").st_mode));
}
