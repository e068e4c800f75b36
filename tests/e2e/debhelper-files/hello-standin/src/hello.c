// SPDX-License-Identifier: MIT
/* The stand-in package's program: links against its own shared library. */
#include <stdio.h>

const char *greeting(void);

int main(void) {
  puts(greeting());
  return 0;
}
