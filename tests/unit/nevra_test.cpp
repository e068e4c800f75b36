// SPDX-License-Identifier: MIT
// NEVRA parsing: names with dashes, optional epochs, and every malformed shape with its message.
#include "pkgnote/nevra.h"

#include <gtest/gtest.h>

using pkgnote::parseNevra;

TEST(Nevra, SplitsNameWithDashesFromTheRight) {
  auto nevra = parseNevra("qemu-user-static-8.1.3-1.fc39.x86_64");
  ASSERT_TRUE(nevra) << nevra.error().message;
  EXPECT_EQ(nevra->name, "qemu-user-static");
  EXPECT_FALSE(nevra->epoch);
  EXPECT_EQ(nevra->version, "8.1.3");
  EXPECT_EQ(nevra->release, "1.fc39");
  EXPECT_EQ(nevra->arch, "x86_64");
}

TEST(Nevra, ReadsEpochBeforeVersion) {
  auto nevra = parseNevra("qemu-user-static-2:8.1.3-1.fc39.aarch64");
  ASSERT_TRUE(nevra) << nevra.error().message;
  EXPECT_EQ(nevra->name, "qemu-user-static");
  EXPECT_EQ(nevra->epoch, "2");
  EXPECT_EQ(nevra->version, "8.1.3");
  EXPECT_EQ(nevra->release, "1.fc39");
  EXPECT_EQ(nevra->arch, "aarch64");
}

TEST(Nevra, AcceptsNoarchAndZeroEpoch) {
  auto nevra = parseNevra("a-0:1-2.noarch");
  ASSERT_TRUE(nevra) << nevra.error().message;
  EXPECT_EQ(nevra->name, "a");
  EXPECT_EQ(nevra->epoch, "0");
  EXPECT_EQ(nevra->version, "1");
  EXPECT_EQ(nevra->release, "2");
  EXPECT_EQ(nevra->arch, "noarch");
}

struct MalformedNevra {
  const char *text;
  const char *message;
};

class RejectsMalformedNevra : public ::testing::TestWithParam<MalformedNevra> {};

TEST_P(RejectsMalformedNevra, WithMessage) {
  auto nevra = parseNevra(GetParam().text);
  ASSERT_FALSE(nevra);
  EXPECT_EQ(nevra.error().message,
            std::string(GetParam().message) + " (expected NAME-[EPOCH:]VERSION-RELEASE.ARCH)");
}

INSTANTIATE_TEST_SUITE_P(
    Nevra, RejectsMalformedNevra,
    ::testing::Values(
        MalformedNevra{"", "'': no architecture"},
        MalformedNevra{"bash", "'bash': no architecture"},
        MalformedNevra{"bash-5.2-1", "'bash-5.2-1': no architecture"},
        MalformedNevra{"bash-5.2-1.", "'bash-5.2-1.': empty architecture"},
        MalformedNevra{"bash.x86_64", "'bash.x86_64': no release"},
        MalformedNevra{"bash-1.x86_64", "'bash-1.x86_64': no version"},
        MalformedNevra{"-5.2-1.x86_64", "'-5.2-1.x86_64': empty name"},
        MalformedNevra{"bash--1.x86_64", "'bash--1.x86_64': empty version"},
        MalformedNevra{"bash-5.2-.x86_64", "'bash-5.2-.x86_64': empty release"},
        MalformedNevra{"bash-x:5.2-1.x86_64", "'bash-x:5.2-1.x86_64': epoch 'x' is not a number"},
        MalformedNevra{"bash-:5.2-1.x86_64", "'bash-:5.2-1.x86_64': epoch '' is not a number"},
        MalformedNevra{"bash-1:-1.x86_64", "'bash-1:-1.x86_64': empty version"},
        MalformedNevra{"1:bash-5.2-1.x86_64", "'1:bash-5.2-1.x86_64': ':' outside the epoch"},
        MalformedNevra{"bash 5.2-1.x86_64", "'bash 5.2-1.x86_64': contains whitespace"}));
