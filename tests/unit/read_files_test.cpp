// SPDX-License-Identifier: MIT
// Reading from files rather than memory: the 4 KiB head read once, the size asked for only when a
// read goes past it, what a walk's files and an argument's files are told apart by, and the
// parallel reader's order.
#include "pkgnote/elf_reader.h"
#include "pkgnote/tree_walk.h"

#include "elf_image.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

namespace {

using namespace pkgnote;
using pkgnote::testing::stampedImage;
using pkgnote::testing::TempDir;

TEST(ReadFiles, NotePastTheFirstFourKiBIsReadFromTheFile) {
  TempDir dir;
  std::string bytes = stampedImage();
  ASSERT_GT(bytes.size(), 4096u); // the note is at 0x1000
  dir.write("stamped", bytes);
  Result<FileReport> fromMemory = readElfImage(bytes, dir / "stamped");
  ASSERT_TRUE(fromMemory) << fromMemory.error().message;
  ASSERT_EQ(fromMemory->packages.size(), 1u);

  Result<FileReport> argument = readElfFile(dir / "stamped");
  ASSERT_TRUE(argument) << argument.error().message;
  ASSERT_EQ(argument->packages.size(), 1u);
  EXPECT_EQ(argument->packages[0].metadata.fields, fromMemory->packages[0].metadata.fields);
  EXPECT_EQ(argument->packages[0].offset, 0x1000u);

  Result<std::optional<FileReport>> walked = readElfFileIfElf(dir / "stamped");
  ASSERT_TRUE(walked) << walked.error().message;
  ASSERT_TRUE(walked->has_value());
  ASSERT_EQ((*walked)->packages.size(), 1u);
  EXPECT_EQ((*walked)->packages[0].metadata.fields, fromMemory->packages[0].metadata.fields);
}

TEST(ReadFiles, FileEndingBeforeItsNoteNamesTheRealSize) {
  TempDir dir;
  dir.write("cut", stampedImage().substr(0, 4100));
  std::string expected =
      "'" + (dir / "cut") + "': note segment 0 at 0x1000+0x68 extends past end of file (0x1004)";
  Result<FileReport> argument = readElfFile(dir / "cut");
  ASSERT_FALSE(argument);
  EXPECT_EQ(argument.error().message, expected);
  Result<std::optional<FileReport>> walked = readElfFileIfElf(dir / "cut");
  ASSERT_FALSE(walked);
  EXPECT_EQ(walked.error().message, expected);
}

TEST(ReadFiles, ShortAndNonElfFilesFoundByAWalkAreSkipped) {
  TempDir dir;
  dir.write("empty", "");
  dir.write("three", "\177EL");
  dir.write("script", "#!/bin/sh\necho hello\n");
  for (const char *name : {"empty", "three", "script"}) {
    Result<std::optional<FileReport>> report = readElfFileIfElf(dir / name);
    ASSERT_TRUE(report) << name << ": " << report.error().message;
    EXPECT_FALSE(report->has_value()) << name;
    Result<FileReport> argument = readElfFile(dir / name);
    ASSERT_FALSE(argument) << name;
    EXPECT_EQ(argument.error().message, "'" + (dir / name) + "': not an ELF file");
  }
}

TEST(ReadFiles, DirectoriesAndFifosAreNamedWithoutBlocking) {
  TempDir dir;
  dir.write("sub/file", "x");
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(readElfFile(dir / "sub").error().message, "'" + (dir / "sub") + "': is a directory");
  EXPECT_EQ(readElfFileIfElf(dir / "sub").error().message,
            "'" + (dir / "sub") + "': is a directory");
  EXPECT_EQ(readElfFile(dir / "fifo").error().message,
            "'" + (dir / "fifo") + "': not a regular file");
  EXPECT_EQ(readElfFileIfElf(dir / "fifo").error().message,
            "'" + (dir / "fifo") + "': not a regular file");
}

// Many inputs on several threads: results arrive in input order, errors in their place, and an
// empty list emits nothing.
TEST(ReadFiles, ParallelReadKeepsInputOrder) {
  TempDir dir;
  dir.write("stamped", stampedImage());
  dir.write("text", "not ELF");
  std::vector<ReadInput> inputs;
  for (int i = 0; i < 60; ++i) {
    if (i % 3 == 0)
      inputs.push_back(ReadInput{dir / "stamped", false, std::nullopt});
    else if (i % 3 == 1)
      inputs.push_back(ReadInput{dir / "text", true, std::nullopt});
    else
      inputs.push_back(
          ReadInput{"input-" + std::to_string(i), false, Error{"failed " + std::to_string(i)}});
  }
  for (unsigned jobs : {0u, 1u, 2u, 7u}) { // 0: the default
    std::vector<std::size_t> order;
    readElfFiles(inputs, jobs, ReadOptions{}, [&](std::size_t index, const auto &outcome) {
      order.push_back(index);
      if (index % 3 == 0) {
        ASSERT_TRUE(outcome && outcome->has_value()) << index;
        EXPECT_TRUE((*outcome)->stamped());
      } else if (index % 3 == 1) {
        ASSERT_TRUE(outcome) << index;
        EXPECT_FALSE(outcome->has_value()) << index;
      } else {
        ASSERT_FALSE(outcome) << index;
        EXPECT_EQ(outcome.error().message, "failed " + std::to_string(index));
      }
    });
    ASSERT_EQ(order.size(), inputs.size()) << jobs;
    for (std::size_t i = 0; i < order.size(); ++i)
      EXPECT_EQ(order[i], i) << jobs;
  }
  std::size_t emitted = 0;
  readElfInputs([](const auto &) {}, 4, ReadOptions{},
                [&](std::size_t, const auto &) { ++emitted; });
  EXPECT_EQ(emitted, 0u);
}

// A walk read while it is still walking gives what the collected walk gives, in the same order.
TEST(ReadFiles, StreamingWalkMatchesCollectedWalk) {
  TempDir dir;
  for (int i = 0; i < 20; ++i)
    dir.write("d" + std::to_string(i % 4) + "/f" + std::to_string(i), stampedImage());
  WalkOptions walk{/*recursive=*/true, /*followSymlinks=*/false};
  std::vector<std::string> collected;
  for (const ReadInput &input : expandInputs({dir.path()}, walk))
    collected.push_back(input.path);
  ASSERT_EQ(collected.size(), 20u);
  std::vector<std::string> streamed;
  readElfInputs([&](const auto &sink) { walkInputs({dir.path()}, walk, sink); }, 3, ReadOptions{},
                [&](std::size_t, const auto &outcome) {
                  ASSERT_TRUE(outcome && outcome->has_value());
                  streamed.push_back((*outcome)->path);
                });
  EXPECT_EQ(streamed, collected);
}

} // namespace
