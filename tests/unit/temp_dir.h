// SPDX-License-Identifier: MIT
// A scratch directory for tests that need real files (os-release roots, atomic output); removed
// with everything in it when the test ends.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace pkgnote::testing {

class TempDir {
public:
  TempDir() {
    std::string model = (std::filesystem::temp_directory_path() / "pkgnote-test-XXXXXX").string();
    if (::mkdtemp(model.data()) == nullptr)
      ADD_FAILURE() << "mkdtemp failed";
    path_ = model;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string operator/(const std::string &relative) const { return path_ + "/" + relative; }

  // Writes CONTENTS to RELATIVE, creating parent directories.
  void write(const std::string &relative, const std::string &contents) const {
    std::filesystem::path file = path_ + "/" + relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << contents;
  }

private:
  std::string path_;
};

inline std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace pkgnote::testing
