// SPDX-License-Identifier: MIT
// The fuzz targets' assertion: a violated property must stop libFuzzer with a crash report even
// in release builds, where assert() is compiled out.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: fuzz property violated: %s\n", __FILE__, __LINE__, #cond);      \
      std::abort();                                                                                \
    }                                                                                              \
  } while (0)
