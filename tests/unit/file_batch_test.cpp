// SPDX-License-Identifier: MIT
// Opening a walk's files in batches (lib/src/io/file_batch.h): through io_uring and one by one, the
// same reports and the same errors (but for a FIFO), every descriptor closed, and io_uring really
// used where the kernel offers it (otherwise these tests would compare the plain way with itself).
#include "io/file_batch.h"
#include "input/read_batch.h"

#include "pkgnote/elf_report.h"
#include "pkgnote/tree_walk.h"

#include "elf_image.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <linux/io_uring.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace {

using namespace pkgnote;
using pkgnote::detail::FileBatchOpener;
using pkgnote::detail::ReadOutcome;
using pkgnote::testing::stampedImage;
using pkgnote::testing::TempDir;

// Whether this build and this kernel let a process set up an io_uring (the kernel asked without
// liburing).
bool kernelOffersIoUring() {
  if (!FileBatchOpener::ioUringBuiltIn())
    return false;
  io_uring_params params{};
  long fd = ::syscall(SYS_io_uring_setup, 4, &params);
  if (fd < 0)
    return false;
  ::close(static_cast<int>(fd));
  return true;
}

std::size_t openDescriptors() {
  std::size_t count = 0;
  DIR *dir = ::opendir("/proc/self/fd");
  while (dir && ::readdir(dir))
    ++count;
  if (dir)
    ::closedir(dir);
  return count;
}

// An outcome as one comparable line: the JSON report, "skipped" or the error.
std::string describe(const ReadOutcome &outcome) {
  if (!outcome)
    return "error: " + outcome.error().message;
  return *outcome ? reportToJson(**outcome) : "skipped";
}

// Every kind of file a walk can hand over, some several times so that batches fill and split.
std::vector<std::string> mixedFiles(const TempDir &dir) {
  std::string stamped = stampedImage(); // note at 0x1000: read past the 4 KiB head
  dir.write("stamped", stamped);
  dir.write("cut", stamped.substr(0, 4100));
  dir.write("small", stamped.substr(0, 0x200));
  dir.write("empty", "");
  dir.write("three", "\177EL");
  dir.write("script", "#!/bin/sh\n");
  dir.write("sub/file", "x");
  EXPECT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  std::vector<std::string> names = {"stamped", "cut", "small", "empty",  "three",
                                    "script",  "sub", "fifo",  "missing"};
  std::vector<std::string> paths;
  for (int round = 0; round < 9; ++round) // 81 files: two full batches of 32 and a part
    for (const std::string &name : names)
      paths.push_back(dir / name);
  return paths;
}

std::vector<std::string> readBatches(const std::vector<std::string> &paths, bool useIoUring,
                                     std::size_t batch, bool *usedIoUring = nullptr) {
  FileBatchOpener opener(useIoUring);
  std::vector<std::string> lines;
  for (std::size_t first = 0; first < paths.size(); first += batch) {
    std::vector<ReadInput> inputs;
    for (std::size_t i = first; i < std::min(paths.size(), first + batch); ++i)
      inputs.push_back(ReadInput{paths[i], true, std::nullopt});
    std::vector<ReadOutcome> outcomes;
    detail::readInputBatch(inputs, opener, ReadOptions{}, outcomes);
    EXPECT_EQ(outcomes.size(), inputs.size());
    for (const ReadOutcome &outcome : outcomes)
      lines.push_back(describe(outcome));
  }
  if (usedIoUring)
    *usedIoUring = opener.usesIoUring();
  return lines;
}

TEST(FileBatch, IoUringGivesWhatOneByOneGives) {
  TempDir dir;
  std::vector<std::string> paths = mixedFiles(dir);
  std::vector<std::string> expected;
  for (const std::string &path : paths) {
    Result<std::optional<FileReport>> one = readElfFileIfElf(path);
    expected.push_back(describe(one));
  }
  EXPECT_EQ(expected[0].rfind("{\"path\":", 0), 0u) << expected[0];
  EXPECT_EQ(expected[1], "error: '" + (dir / "cut") +
                             "': note segment 0 at 0x1000+0x68 extends past end of file (0x1004)");
  EXPECT_EQ(expected[6], "error: '" + (dir / "sub") + "': is a directory");
  EXPECT_EQ(expected[7], "error: '" + (dir / "fifo") + "': not a regular file");
  EXPECT_EQ(expected[8], "error: '" + (dir / "missing") + "': no such file or directory");

  // The one difference (file_batch.h): io_uring reads a FIFO put where the walk saw a regular
  // file, without blocking: with no writer it reads nothing, as from an empty file.
  std::vector<std::string> expectedWithRing = expected;
  if (kernelOffersIoUring())
    for (std::size_t i = 7; i < paths.size(); i += 9)
      expectedWithRing[i] = "skipped";

  for (std::size_t batch : {1u, 7u, 32u, 81u}) {
    bool usedIoUring = false;
    EXPECT_EQ(readBatches(paths, true, batch, &usedIoUring), expectedWithRing) << "batch " << batch;
    EXPECT_EQ(usedIoUring, kernelOffersIoUring()) << "batch " << batch;
    EXPECT_EQ(readBatches(paths, false, batch, &usedIoUring), expected) << "batch " << batch;
    EXPECT_FALSE(usedIoUring);
  }
}

// Closes owed are sent with the next batch, or on their own when they outnumber its room, and
// the last ones when the opener goes: none is left open.
TEST(FileBatch, EveryDescriptorIsClosed) {
  TempDir dir;
  std::vector<const std::string *> paths;
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i)
    names.push_back(dir / ("f" + std::to_string(i)));
  for (const std::string &name : names) {
    dir.write(name.substr(dir.path().size() + 1), "not ELF");
    paths.push_back(&name);
  }
  std::size_t before = openDescriptors();
  {
    FileBatchOpener opener(true);
    std::vector<FileBatchOpener::Opened> first = opener.open(paths);  // 40: a batch and a part
    std::vector<FileBatchOpener::Opened> second = opener.open(paths); // all 80 open at once
    EXPECT_EQ(openDescriptors(), before + 80 + (opener.usesIoUring() ? 1 : 0));
    for (auto *batch : {&first, &second})
      for (FileBatchOpener::Opened &source : *batch) {
        ASSERT_TRUE(bool(source)) << llvm::toString(source.takeError());
        opener.close(std::move(*source));
      }
    std::vector<const std::string *> one(paths.begin(), paths.begin() + 1);
    std::vector<FileBatchOpener::Opened> third = opener.open(one); // 80 closes owed first
    ASSERT_TRUE(bool(third[0]));
    EXPECT_EQ(openDescriptors(), before + 1 + (opener.usesIoUring() ? 1 : 0));
    opener.close(std::move(*third[0]));
  }
  EXPECT_EQ(openDescriptors(), before);
}

// The whole reader, walk included, over a real tree (the ELF files of /usr/bin), each way.
TEST(FileBatch, WalkOfUsrBinReadsTheSameEitherWay) {
  WalkOptions walk{/*recursive=*/true, /*followSymlinks=*/false};
  auto readAll = [&](bool useIoUring, unsigned jobs) {
    ReadOptions options;
    options.useIoUring = useIoUring;
    std::vector<std::string> lines;
    readElfInputs(
        [&](const auto &sink) { walkInputs({"/usr/bin"}, walk, sink); }, jobs, options,
        [&](std::size_t, const ReadOutcome &outcome) { lines.push_back(describe(outcome)); });
    return lines;
  };
  std::vector<std::string> plain = readAll(false, 1);
  ASSERT_GT(plain.size(), 100u);
  EXPECT_EQ(readAll(true, 1), plain);
  EXPECT_EQ(readAll(true, 2), plain);
  EXPECT_EQ(readAll(false, 3), plain);
}

} // namespace
