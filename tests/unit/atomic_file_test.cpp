// SPDX-License-Identifier: MIT
// Atomic output: a complete new file appears, an existing one is replaced whole, and on every
// failure the old file is left as it was and no temporary file is left behind.
#include "pkgnote/atomic_file.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using pkgnote::writeFileAtomically;
using pkgnote::testing::readFile;
using pkgnote::testing::TempDir;

namespace {

std::vector<std::string> listDirectory(const std::string &path) {
  std::vector<std::string> names;
  for (const auto &entry : std::filesystem::directory_iterator(path))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace

TEST(AtomicFile, CreatesFileWithContentsAndUmaskMode) {
  TempDir dir;
  mode_t old = ::umask(022);
  auto status = writeFileAtomically(dir / "out.ld", std::string("a\0b", 3));
  ::umask(old);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(readFile(dir / "out.ld"), std::string("a\0b", 3));
  struct stat st;
  ASSERT_EQ(::stat((dir / "out.ld").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(listDirectory(dir.path()), std::vector<std::string>{"out.ld"});
}

TEST(AtomicFile, ReplacesExistingFileWhole) {
  TempDir dir;
  dir.write("out.ld", std::string(1000, 'o'));
  auto status = writeFileAtomically(dir / "out.ld", "new");
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(readFile(dir / "out.ld"), "new");
  EXPECT_EQ(listDirectory(dir.path()), std::vector<std::string>{"out.ld"});
}

TEST(AtomicFile, FailedWriteLeavesOldFileUntouched) {
  // A file size limit makes write(2) fail with EFBIG half-way, like a full disk would.
  TempDir dir;
  dir.write("out.ld", "old contents");
  struct rlimit saved;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 100;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  auto status = writeFileAtomically(dir / "out.ld", std::string(200000, 'n'));
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, oldHandler);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "'" + (dir / "out.ld") + "': cannot write: file too large");
  EXPECT_EQ(readFile(dir / "out.ld"), "old contents");
  EXPECT_EQ(listDirectory(dir.path()), std::vector<std::string>{"out.ld"});
}

TEST(AtomicFile, UnwritableDirectoryLeavesOldFileUntouched) {
  if (::geteuid() == 0)
    GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  dir.write("out.ld", "old contents");
  ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
  auto status = writeFileAtomically(dir / "out.ld", "new");
  ::chmod(dir.path().c_str(), 0755);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "'" + (dir / "out.ld") + "': cannot create temporary file: permission denied");
  EXPECT_EQ(readFile(dir / "out.ld"), "old contents");
}

TEST(AtomicFile, MissingDirectoryIsAnError) {
  TempDir dir;
  auto status = writeFileAtomically(dir / "missing/out.ld", "new");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "'" + (dir / "missing/out.ld") +
                "': cannot create temporary file: no such file or directory");
}

TEST(AtomicFile, TargetThatIsADirectoryIsLeftAloneAndTempRemoved) {
  TempDir dir;
  dir.write("out.ld/inside", "kept");
  auto status = writeFileAtomically(dir / "out.ld", "new");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "'" + (dir / "out.ld") + "': cannot replace: is a directory");
  EXPECT_EQ(readFile(dir / "out.ld/inside"), "kept");
  EXPECT_EQ(listDirectory(dir.path()), std::vector<std::string>{"out.ld"});
}

namespace {

ino_t inodeOf(const std::string &path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

pkgnote::FillFailure writeNew(int fd) {
  return ::write(fd, "new", 3) == 3 ? pkgnote::FillFailure{} : pkgnote::FillFailure{errno};
}

} // namespace

TEST(AtomicFile, HardLinksGetTheNewFileToo) {
  TempDir dir;
  dir.write("a/out", "old");
  std::filesystem::create_directories(dir / "b");
  ASSERT_EQ(::link((dir / "a/out").c_str(), (dir / "a/same-dir").c_str()), 0);
  ASSERT_EQ(::link((dir / "a/out").c_str(), (dir / "b/other-dir").c_str()), 0);
  auto status =
      writeFileAtomically(dir / "a/out", writeNew, {dir / "a/same-dir", dir / "b/other-dir"});
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(readFile(dir / "b/other-dir"), "new");
  EXPECT_EQ(inodeOf(dir / "a/out"), inodeOf(dir / "a/same-dir"));
  EXPECT_EQ(inodeOf(dir / "a/out"), inodeOf(dir / "b/other-dir"));
  EXPECT_EQ(listDirectory(dir / "a"), (std::vector<std::string>{"out", "same-dir"}));
  EXPECT_EQ(listDirectory(dir / "b"), std::vector<std::string>{"other-dir"});
}

TEST(AtomicFile, HardLinkThatCannotBePreparedLeavesEveryNameUntouched) {
  TempDir dir;
  dir.write("out", "old");
  ASSERT_EQ(::link((dir / "out").c_str(), (dir / "link").c_str()), 0);
  ino_t before = inodeOf(dir / "out");
  auto status = writeFileAtomically(dir / "out", writeNew, {dir / "link", dir / "gone/link"});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "'" + (dir / "out") + "': cannot prepare hard link '" +
                                        (dir / "gone/link") + "': no such file or directory");
  EXPECT_EQ(inodeOf(dir / "out"), before);
  EXPECT_EQ(inodeOf(dir / "link"), before);
  EXPECT_EQ(readFile(dir / "out"), "old");
  EXPECT_EQ(listDirectory(dir.path()), (std::vector<std::string>{"link", "out"}));
}
