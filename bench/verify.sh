#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote verify` on Debian's qemu-user-static .deb (60 MB, 370 MB unpacked,
# data.tar.xz in 16 blocks), side by side in one hyperfine run with the decompression floor,
# `dpkg-deb --fsys-tarfile FILE > /dev/null`, and the obvious alternative, `dpkg-deb -x` then
# `readelf -n` on every file; then the peak RSS of each (GNU time).
# Usage: bench/verify.sh [PKGNOTE [DEB]]   (default: build/tools/pkgnote and a fresh
# `apt-get download qemu-user-static`). Needs hyperfine, binutils, dpkg.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
if [ -n "${2:-}" ]; then
  DEB=$(realpath "$2")
else
  (cd "$T" && apt-get download qemu-user-static >/dev/null 2>&1)
  DEB=$(ls "$T"/qemu-user-static_*.deb)
fi
echo "package: $(basename "$DEB") ($(stat -c %s "$DEB") bytes)"
"$PKGNOTE" verify "$DEB" | tail -n 1

# pkgnote verify exits 1 on this package (every ELF file is unstamped): -i keeps hyperfine going.
hyperfine -N -i --warmup 1 --runs "${RUNS:-5}" --export-markdown "$T/table.md" \
  -n 'dpkg-deb --fsys-tarfile > /dev/null' "sh -c 'dpkg-deb --fsys-tarfile \"$DEB\" > /dev/null'" \
  -n 'pkgnote verify' "$PKGNOTE verify $DEB" \
  -n 'dpkg-deb -x + readelf -n' \
  "sh -c 'rm -rf $T/x && dpkg-deb -x \"$DEB\" $T/x && find $T/x -type f -exec readelf -n {} + > /dev/null 2>&1'"
cat "$T/table.md"
rm -rf "$T/x"

for cmd in "dpkg-deb --fsys-tarfile" "pkgnote verify"; do
  case $cmd in
    dpkg-deb*) /usr/bin/time -f '%M' -o "$T/rss" sh -c "dpkg-deb --fsys-tarfile '$DEB' > /dev/null" ;;
    pkgnote*) /usr/bin/time -f '%M' -o "$T/rss" "$PKGNOTE" verify "$DEB" > /dev/null || true ;;
  esac
  echo "peak RSS, $cmd: $(tail -n 1 "$T/rss") KiB"
done
