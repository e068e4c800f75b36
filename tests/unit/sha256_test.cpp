// SPDX-License-Identifier: MIT
// SHA-256 through libcrypto (support/sha256.h): FIPS 180-2's vectors, an input past 512 MiB (where
// LLVM 14's SHA256, which counts the length in 32 bits, went wrong) and sha256sum on a file.
#include "temp_dir.h"

#include "support/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace pkgnote {
namespace {

std::string digestOf(const std::string &bytes, std::size_t piece) {
  detail::Sha256 hash;
  EXPECT_EQ(hash.error(), "");
  for (std::size_t at = 0; at < bytes.size(); at += piece)
    hash.update(
        llvm::ArrayRef<std::uint8_t>(reinterpret_cast<const std::uint8_t *>(bytes.data()) + at,
                                     std::min(piece, bytes.size() - at)));
  return detail::sha256Text(hash.final());
}

TEST(Sha256, Fips180Vectors) {
  EXPECT_EQ(digestOf("", 1),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digestOf("abc", 1),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digestOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 5),
            "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(digestOf(std::string(1000000, 'a'), 1000),
            "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PastHalfAGibibyte) {
  // 512 MiB + 1 zero bytes (python3's hashlib gives the same).
  detail::Sha256 hash;
  std::vector<std::uint8_t> zeros(1 << 20);
  for (int i = 0; i < 512; ++i)
    hash.update(zeros);
  hash.update(llvm::ArrayRef<std::uint8_t>(zeros.data(), 1));
  EXPECT_EQ(detail::sha256Text(hash.final()),
            "sha256:7c40fe5ce847740d0f0d0cdde3949d6585804cdec3ae61a15b923165699c8137");
}

TEST(Sha256, EqualsSha256sumOnAFile) {
  std::string bytes;
  for (int i = 0; i < 300000; ++i)
    bytes += static_cast<char>((i * 2654435761u) >> 13);
  testing::TempDir dir;
  dir.write("blob", bytes);
  std::FILE *pipe = ::popen(("sha256sum " + (dir / "blob")).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char hex[65] = {};
  ASSERT_EQ(std::fread(hex, 1, 64, pipe), 64u);
  ::pclose(pipe);
  EXPECT_EQ(digestOf(bytes, 4097), std::string("sha256:") + hex);
}

} // namespace
} // namespace pkgnote
