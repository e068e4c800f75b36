// SPDX-License-Identifier: MIT
/* A process of a chosen size for core-size tests and bench/core.sh: allocates and touches
   argv[1] MiB of heap, then waits to be dumped with gcore. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
  size_t size = argc > 1 ? strtoull(argv[1], 0, 10) << 20 : 0;
  char *p = malloc(size);
  memset(p, 1, size);
  for (;;) pause();
}
