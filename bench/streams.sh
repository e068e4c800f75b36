#!/bin/sh
# SPDX-License-Identifier: MIT
# Compressed inputs through each compression's own library (lib/src/io/stream_codec.h: ISA-L's
# inflate, libzstd) and image digests through libcrypto, in paired runs (bench/paired.py) against
# the tools that only decompress, and against a BASELINE pkgnote (e.g. one built from main, when
# libarchive's filters and LLVM's SHA-256 did this):
#  - an OCI layout of two gzip layers made from LAYER1 and LAYER2 (default
#    /usr/lib/x86_64-linux-gnu and /usr/bin, about 2 GiB) vs `pigz -dc` of its layers, then the
#    same image with zstd layers vs `zstd -dc`;
#  - a gcore of a stamped process holding CORE_MIB (default 512) MiB of touched heap, gzip'd and
#    zstd'd, vs `pigz -dc` and `zstd -dc` of it;
# then the peak RSS of each pkgnote read.
# Usage: bench/streams.sh [PKGNOTE [BASELINE]]   (default: build/tools/pkgnote, no baseline).
# RUNS (default 15) paired rounds. Needs umoci, skopeo, jq, pigz, zstd, gcc, gdb, /usr/bin/time
# and about 3x the image's size free under $TMPDIR.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
BASELINE=${2:+$(realpath "$2")}
RUNS=${RUNS:-15}
LAYER1=${LAYER1:-/usr/lib/x86_64-linux-gnu}
LAYER2=${LAYER2:-/usr/bin}
CORE_MIB=${CORE_MIB:-512}
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench-streams.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
. bench/fixtures.sh

paired() { # paired NAME=CMD ...: the first is the reference
  python3 bench/paired.py --runs "$RUNS" --warmup 1 -- "$@"
}
compare() { # compare NAME CMD INPUT: CMD (the reference), pkgnote read INPUT and the baseline's
  if [ -n "$BASELINE" ]; then
    paired "$1=$2" "read=$PKGNOTE read --json $3" "baseline=$BASELINE read --json $3"
  else
    paired "$1=$2" "read=$PKGNOTE read --json $3"
  fi
}

# The compressed core.
build_hog
"$T/hog" "$CORE_MIB" &
pid=$!
sleep $(( CORE_MIB / 100 + 2 ))
gcore -o "$T/core" "$pid" >/dev/null 2>&1
kill "$pid"; wait "$pid" 2>/dev/null || true
mv "$T/core.$pid" "$T/core"
pigz -6 -c "$T/core" >"$T/core.gz"
zstd -q -T0 "$T/core" -o "$T/core.zst"
rm "$T/core"
"$PKGNOTE" read --json "$T/core.gz" | grep -q '"name":"hog"' || { echo "no package" >&2; exit 1; }

# The image.
build_image_layouts "$LAYER1" "$LAYER2"
# $gz and $zs are lists of paths without spaces (under $T), split on purpose below.
gz=$(layers "$T/lay" | tr '\n' ' ')
zs=$(layers "$T/zlay" | tr '\n' ' ')
# shellcheck disable=SC2086
echo "gzip layers: $(du -cb $gz | tail -n 1 | cut -f1) bytes; zstd layers: $(du -cb $zs | tail -n 1 | cut -f1) bytes; tar: $(pigz -dc $gz | wc -c) bytes"
stat -c '%n: %s bytes' "$T/core.gz" "$T/core.zst"

echo "## gzip image"
compare pigz "pigz -dc $gz" "$T/lay"
echo "## zstd image"
compare zstd "zstd -dc $zs" "$T/zlay"
echo "## gzip core ($CORE_MIB MiB)"
compare pigz "pigz -dc $T/core.gz" "$T/core.gz"
echo "## zstd core ($CORE_MIB MiB)"
compare zstd "zstd -dc $T/core.zst" "$T/core.zst"

echo
echo "peak RSS (KiB), one run each:"
for f in lay zlay core.gz core.zst; do
  for p in "$PKGNOTE" $BASELINE; do
    /usr/bin/time -f '%M' -o "$T/rss" "$p" read --json "$T/$f" >/dev/null || true
    printf '  %s read %s: %s KiB\n' "$p" "$f" "$(tail -n 1 "$T/rss")"
  done
done
