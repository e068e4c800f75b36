#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote read`: a recursive read of every ELF file under /usr/bin,
# /usr/lib/x86_64-linux-gnu and /usr/libexec, side by side in one hyperfine run with readelf -n,
# eu-readelf -n, systemd-analyze inspect-elf on the same files, and the floor: the first 4 KiB of
# each file (head -c 4096). Then single-file start-up (50 runs each) and peak RSS.
# Usage: bench/read.sh [PKGNOTE]   (default: build/tools/pkgnote). Needs hyperfine, elfutils.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
DIRS="/usr/bin /usr/lib/x86_64-linux-gnu /usr/libexec"

# The same files for every tool: regular ELF files (no symbolic links), each inode once, the set
# pkgnote's walk reports.
python3 - $DIRS >"$T/files" <<'PY'
import os, stat, sys
seen = set()
for top in sys.argv[1:]:
    for d, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(d, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) in seen:
                continue
            with open(path, "rb") as f:
                if f.read(4) != b"\x7fELF":
                    continue
            seen.add((st.st_dev, st.st_ino))
            print(path)
PY
files=$(wc -l <"$T/files")
ours=$("$PKGNOTE" read -r --json $DIRS 2>/dev/null | wc -l || true)
echo "ELF files: $files (pkgnote's walk reports $ours)"
cores=$(nproc)

hyperfine -N --warmup 2 --runs 10 -i --export-markdown "$T/many.md" \
  -n "pkgnote read -r (--jobs $cores)" "$PKGNOTE read -r --json $DIRS" \
  -n "pkgnote read -r --jobs 1" "$PKGNOTE read -r --json --jobs 1 $DIRS" \
  -n "readelf -n" "xargs -a $T/files readelf -n" \
  -n "eu-readelf -n" "xargs -a $T/files eu-readelf -n" \
  -n "floor: head -c 4096" "xargs -a $T/files head -q -c 4096" >/dev/null
# systemd-analyze loads libdw and parses each file fully: about a minute a run, so one run.
hyperfine -N --runs 1 -i --export-markdown "$T/systemd.md" \
  -n "systemd-analyze inspect-elf" "xargs -a $T/files systemd-analyze inspect-elf --no-pager" \
  >/dev/null
tail -1 "$T/systemd.md" >>"$T/many.md"
cat "$T/many.md"
echo

hyperfine -N --warmup 5 --runs 50 -i --export-markdown "$T/one.md" \
  -n "pkgnote read /usr/bin/ls" "$PKGNOTE read /usr/bin/ls" \
  -n "readelf -n /usr/bin/ls" "readelf -n /usr/bin/ls" >/dev/null
cat "$T/one.md"
echo

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "| peak RSS (KiB) | recursive read | one file |"
echo "|:---|---:|---:|"
echo "| pkgnote | $(rss "$PKGNOTE" read -r --json $DIRS) | $(rss "$PKGNOTE" read /usr/bin/ls) |"
echo "| readelf -n | $(rss xargs -a "$T/files" readelf -n) | $(rss readelf -n /usr/bin/ls) |"
