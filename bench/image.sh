#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote read` on a container image (an OCI layout written by umoci) of two gzip
# layers made from this machine's LAYER1 and LAYER2 directories (default /usr/lib/x86_64-linux-gnu
# and /usr/bin: about 2 GiB), side by side in one hyperfine run with
#  - `pigz -dc` of its two layers one after the other (the floor: decompressing is all a streamed
#    read must do), and
#  - `umoci unpack` + `pkgnote read -r` of the rootfs (what a user does without image support);
# then the same image with zstd layers (skopeo copy --dest-compress-format zstd) against
# `zstd -dc` of its layers, and the peak RSS of each read.
# Usage: bench/image.sh [PKGNOTE]   (default: build/tools/pkgnote). RUNS (default 15) per command;
# LAYER1 and LAYER2 pick the directories. Needs umoci, skopeo, pigz, zstd, hyperfine,
# /usr/bin/time and about 3x the image's size free under $TMPDIR.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
RUNS=${RUNS:-15}
LAYER1=${LAYER1:-/usr/lib/x86_64-linux-gnu}
LAYER2=${LAYER2:-/usr/bin}
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench-image.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
. bench/fixtures.sh

build_image_layouts "$LAYER1" "$LAYER2"
# $gz and $zs are lists of paths without spaces (under $T), split on purpose below.
# shellcheck disable=SC2086
gz=$(layers "$T/lay" | tr '\n' ' ')
zs=$(layers "$T/zlay" | tr '\n' ' ')
# shellcheck disable=SC2086
echo "gzip layers (compressed bytes): $(du -cb $gz | tail -n 1 | cut -f1); uncompressed: $(pigz -dc $gz | wc -c)"
# shellcheck disable=SC2086
echo "zstd layers (compressed bytes): $(du -cb $zs | tail -n 1 | cut -f1)"

cat >"$T/unpack-read.sh" <<SH
rm -rf "$T/bundle"
umoci unpack --rootless --image "$T/lay:img" "$T/bundle" >/dev/null
"$PKGNOTE" read -r --json "$T/bundle/rootfs" >/dev/null || true
SH
hyperfine -N --warmup 1 --runs "$RUNS" --style basic -i --export-markdown "$T/gzip.md" \
  -n "pigz -dc (both layers)" "pigz -dc $gz" \
  -n "pkgnote read (gzip layers)" "$PKGNOTE read --json $T/lay" \
  -n "umoci unpack + pkgnote read -r" "sh $T/unpack-read.sh" >/dev/null
hyperfine -N --warmup 1 --runs "$RUNS" --style basic -i --export-markdown "$T/zstd.md" \
  -n "zstd -dc (both layers)" "zstd -dc $zs" \
  -n "pkgnote read (zstd layers)" "$PKGNOTE read --json $T/zlay" >/dev/null
cat "$T/gzip.md"
tail -n 2 "$T/zstd.md"

echo
echo "CPU time (user+sys, s) and peak RSS (KiB), one run each:"
for cmd in "$PKGNOTE read --json $T/lay" "$PKGNOTE read --json $T/zlay" "pigz -dc $gz" \
  "sh $T/unpack-read.sh"; do
  /usr/bin/time -f '%U %S %M' -o "$T/time" sh -c "$cmd >/dev/null" || true
  read -r user sys rss <<EOT
$(tail -n 1 "$T/time")
EOT
  printf '  %-40s %6.2f s  %8s KiB\n' "$(echo "$cmd" | sed "s|$T/||g; s|$PKGNOTE|pkgnote|")" \
    "$(echo "$user + $sys" | bc)" "$rss"
done
"$PKGNOTE" read --json "$T/lay" | wc -l | sed 's/^/ELF files reported: /'
