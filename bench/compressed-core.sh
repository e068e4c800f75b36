#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote read` on zstd-compressed cores, as systemd-coredump stores them, side by
# side in one hyperfine run with `zstd -dc` (to /dev/null, hyperfine's default output) on the
# same files:
#  - a gcore of a stamped process holding 1 GiB of touched heap, filled with bytes of 4 random
#    bits each (zstd's default level makes about 2:1 of it, like real heaps);
#  - a small core followed by 16 GiB of zeros (what a sparse core becomes when it is piped through
#    a compressor): pkgnote stops after the core's last segment, zstd -dc makes all 16 GiB.
# Then the peak RSS of each read and the passes it took (opens of the file, with strace).
# Usage: bench/compressed-core.sh [PKGNOTE]   (default: build/tools/pkgnote). Needs gcc, gdb,
# zstd, hyperfine, /usr/bin/time, strace and about 2 GiB free under $TMPDIR.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench-zcore.XXXXXX")
trap 'rm -rf "$T"' EXIT
. bench/fixtures.sh

build_hog
make_core() { # make_core MIB: leaves $T/core-MIB
  "$T/hog" "$1" &
  pid=$!
  sleep $(( $1 > 100 ? 6 : 1 ))
  gcore -o "$T/core-$1" "$pid" >/dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  mv "$T/core-$1.$pid" "$T/core-$1"
}
make_core 1024
make_core 1
zstd -q -T0 "$T/core-1024" -o "$T/core-1024.zst"
rm "$T/core-1024"
{ cat "$T/core-1"; head -c 16G /dev/zero; } | zstd -q -T0 >"$T/core-zero-tail.zst"
ls -l "$T/core-1024.zst" "$T/core-1" "$T/core-zero-tail.zst" | awk '{print $5, $NF}'
"$PKGNOTE" read --json "$T/core-1024.zst" | grep -q '"name":"hog"' || { echo "no package" >&2; exit 1; }

hyperfine -N --warmup 1 --runs 5 --style basic --export-markdown "$T/table.md" \
  -n "zstd -dc (1 GiB core)" "zstd -dc $T/core-1024.zst" \
  -n "pkgnote read (1 GiB core, zstd)" "$PKGNOTE read --json $T/core-1024.zst" \
  -n "pkgnote read (core + 16 GiB zeros, zstd)" "$PKGNOTE read --json $T/core-zero-tail.zst" \
  >/dev/null
hyperfine -N --runs 1 --style basic --export-markdown "$T/tail.md" \
  -n "zstd -dc (core + 16 GiB zeros)" "zstd -dc $T/core-zero-tail.zst" >/dev/null
cat "$T/table.md"
tail -n 1 "$T/tail.md"

echo
echo "peak RSS (KiB) and passes:"
for f in core-1024.zst core-zero-tail.zst; do
  /usr/bin/time -f '%M' -o "$T/rss" "$PKGNOTE" read --json "$T/$f" >/dev/null
  strace -f -o "$T/trace" -e trace=openat "$PKGNOTE" read --json "$T/$f" >/dev/null
  printf '  pkgnote read %s: %s KiB, %s pass(es)\n' "$f" "$(tail -n 1 "$T/rss")" \
    "$(( $(grep -c "\"$T/$f\"" "$T/trace") - 1 ))"
done
/usr/bin/time -f '%M' -o "$T/rss" zstd -dc "$T/core-1024.zst" >/dev/null
printf '  zstd -dc core-1024.zst: %s KiB\n' "$(tail -n 1 "$T/rss")"
