// SPDX-License-Identifier: MIT
/* A stand-in for a qemu user-mode emulator: a static program named qemu-ARCH-static. */
#include <stdio.h>

int main(int argc, char **argv) {
  printf("stand-in emulator for %s: %d argument(s)\n", EMULATED_ARCH, argc - 1);
  (void)argv;
  return 0;
}
