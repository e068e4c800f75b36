#!/bin/sh
# Writes the seed corpus of the ELF reader fuzz target into DIR (checked in as
# fuzz/seeds/fuzz_elf_reader, so that CI fuzzes from the same bytes every time): real binaries stamped by GNU ld's
# own --package-metadata for every cross compiler installed (64/32-bit, little/big endian:
# x86-64, i686, aarch64, armhf, s390x, ppc64le, riscv64), a relocatable object, a shared object,
# and a real core of a stamped process written by gdb's gcore. Missing compilers are skipped.
# Usage: fuzz/make-seeds.sh DIR
set -eu
out=$1
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'void _start(void) { for (;;) __asm__ volatile(""); }\n' >"$tmp/start.c"
meta() { printf -- '--package-metadata={"type":"deb","name":"seed","version":"1.0","architecture":"%s"}' "$1"; }

for cc in gcc i686-linux-gnu-gcc aarch64-linux-gnu-gcc arm-linux-gnueabihf-gcc \
  s390x-linux-gnu-gcc powerpc64le-linux-gnu-gcc riscv64-linux-gnu-gcc; do
  command -v "$cc" >/dev/null || continue
  arch=${cc%-gcc}
  [ "$cc" = gcc ] && arch=x86_64-linux-gnu
  "$cc" -Os -nostdlib -static -Wl,--build-id -Xlinker "$(meta "$arch")" \
    -o "$out/exec-$arch" "$tmp/start.c"
done
gcc -c -o "$out/relocatable.o" "$tmp/start.c"
gcc -shared -fPIC -nostdlib -Wl,--build-id -Xlinker "$(meta so)" -o "$out/shared.so" "$tmp/start.c"

# A core of a live stamped process: gcore needs ptrace; skipped where it is not allowed. The
# process is the static loop above (no libc, no shared objects), so that the core stays small
# (about 170 KiB, mostly the initial stack, which fuzz/shrink-core.py then drops: 34 KiB) and the
# fuzzer runs fast on it.
if command -v gdb >/dev/null; then
  gcc -Os -nostdlib -static -Wl,--build-id -Xlinker "$(meta core)" -o "$tmp/loop" "$tmp/start.c"
  "$tmp/loop" &
  pid=$!
  sleep 0.3
  timeout 60 gdb -batch -q -p "$pid" -ex "gcore $out/core-x86_64" >/dev/null 2>&1 || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -f "$out/core-x86_64" ] && "$(dirname "$0")/shrink-core.py" "$out/core-x86_64"
fi

# A qemu-user guest core (no NT_FILE; found through NT_AUXV) of a crashing stamped aarch64
# program; -s 8192 shrinks the guest stack so that the core stays small.
if command -v qemu-aarch64-static >/dev/null && command -v aarch64-linux-gnu-gcc >/dev/null; then
  printf 'void _start(void) { *(volatile int *)0 = 1; for (;;) ; }\n' >"$tmp/crash.c"
  aarch64-linux-gnu-gcc -Os -nostdlib -static -Wl,--build-id -Xlinker "$(meta aarch64)" \
    -o "$tmp/crash" "$tmp/crash.c"
  (cd "$tmp" && ulimit -c unlimited && { qemu-aarch64-static -s 8192 ./crash || true; }) >/dev/null 2>&1
  for core in "$tmp"/qemu_crash_*.core; do
    if [ -f "$core" ]; then mv "$core" "$out/core-qemu-aarch64"; fi
  done
  [ -f "$out/core-qemu-aarch64" ] && "$(dirname "$0")/shrink-core.py" "$out/core-qemu-aarch64"
fi
