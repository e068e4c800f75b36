// SPDX-License-Identifier: MIT
/* A process of a chosen size for the compressed-core benchmarks (bench/compressed-core.sh,
   bench/streams.sh): argv[1] MiB of heap touched with a xorshift pattern masked to 4 bits a
   byte, so that the core compresses about as a real heap does, then waits for gcore. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
  size_t size = strtoull(argv[1], 0, 10) << 20;
  uint64_t *p = malloc(size), x = 88172645463325252ull;
  for (size_t i = 0; i < size / 8; ++i) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    p[i] = x & 0x0f0f0f0f0f0f0f0full;
  }
  for (;;) pause();
}
