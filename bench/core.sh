#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote read` on core files: gcores of one stamped program holding 1 MiB and
# 1 GiB of touched heap, read side by side in one hyperfine run with `systemd-analyze
# inspect-elf` on the same cores; then the peak RSS of each. pkgnote reads only the core's notes
# and the pages that hold module headers, so its cost should not grow with the core.
# Usage: bench/core.sh [PKGNOTE]   (default: build/tools/pkgnote). Needs gcc, gdb, hyperfine,
# systemd, /usr/bin/time and about 3 GiB free under $TMPDIR.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench-core.XXXXXX")
trap 'rm -rf "$T"' EXIT

gcc tests/e2e/core-files/hog.c -o "$T/hog" -Xlinker '--package-metadata={"type":"deb","name":"hog","version":"1"}'

make_core() { # make_core MIB: leaves $T/core-MIB
  "$T/hog" "$1" &
  pid=$!
  sleep $(( $1 > 100 ? 3 : 1 ))
  gcore -o "$T/core-$1" "$pid" >/dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  mv "$T/core-$1.$pid" "$T/core-$1"
}
make_core 1
make_core 1024
ls -l "$T/core-1" "$T/core-1024" | awk '{print $5, $NF}'

hyperfine -N -i --warmup 2 --runs 10 --style basic --export-markdown "$T/table.md" \
  -n "pkgnote read (1 MiB core)" "$PKGNOTE read --json $T/core-1" \
  -n "pkgnote read (1 GiB core)" "$PKGNOTE read --json $T/core-1024" \
  -n "systemd-analyze inspect-elf (1 MiB core)" "systemd-analyze inspect-elf $T/core-1" \
  -n "systemd-analyze inspect-elf (1 GiB core)" "systemd-analyze inspect-elf $T/core-1024" \
  >/dev/null
cat "$T/table.md"

echo
echo "peak RSS (KiB):"
for size in 1 1024; do
  /usr/bin/time -f '%M' -o "$T/rss" "$PKGNOTE" read --json "$T/core-$size" >/dev/null || true
  printf '  pkgnote read, %s MiB core: %s\n' "$size" "$(tail -n 1 "$T/rss")"
  /usr/bin/time -f '%M' -o "$T/rss" systemd-analyze inspect-elf "$T/core-$size" >/dev/null 2>&1 || true
  printf '  systemd-analyze inspect-elf, %s MiB core: %s\n' "$size" "$(tail -n 1 "$T/rss")"
done
