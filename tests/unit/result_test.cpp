// SPDX-License-Identifier: MIT
// The API error type: a Result holds exactly one of a value or an error.
#include "pkgnote/result.h"

#include <gtest/gtest.h>

TEST(Result, HoldsValueOrError) {
  pkgnote::Result<int> value = 42;
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, 42);
  pkgnote::Result<int> failure = pkgnote::Error{"'x': bad"};
  ASSERT_FALSE(failure);
  EXPECT_EQ(failure.error().message, "'x': bad");
}
