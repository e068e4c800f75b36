#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote read`: a recursive read of every ELF file under /usr/bin,
# /usr/lib/x86_64-linux-gnu and /usr/libexec, in paired rounds (bench/paired.py) with readelf -n,
# eu-readelf -n on the same files, and the floor: the first 4 KiB of each file (head -c 4096);
# systemd-analyze inspect-elf once. Then the same tree with a cold page cache (as root), single-file
# start-up (50 paired rounds) and peak RSS. Targets: the default at most 1.1x the floor and 1.05x
# --jobs 1 in wall time, CPU at most 1.2x --jobs 1; one file at most 1.1x readelf -n.
# Usage: bench/read.sh [PKGNOTE]   (default: build/tools/pkgnote; RUNS, COLD_RUNS). Needs python3,
# hyperfine, elfutils, /usr/bin/time.
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

# Paired rounds (bench/paired.py): each round runs every command once, so that the load of a busy
# machine falls on all of them alike; ratios are medians of the per-round ratios. The default
# (no --jobs), --jobs 1 and --jobs $cores side by side, against the floor, readelf and eu-readelf.
RUNS=${RUNS:-21}
python3 bench/paired.py --runs "$RUNS" --warmup 2 --ref "pkgnote --jobs 1" --ratio "floor: head -c 4096" -- \
  "pkgnote read -r (default)=$PKGNOTE read -r --json $DIRS" \
  "pkgnote --jobs 1=$PKGNOTE read -r --json --jobs 1 $DIRS" \
  "pkgnote --jobs $cores=$PKGNOTE read -r --json --jobs $cores $DIRS" \
  "floor: head -c 4096=xargs -a $T/files head -q -c 4096" \
  "readelf -n=xargs -a $T/files readelf -n" \
  "eu-readelf -n=xargs -a $T/files eu-readelf -n"
echo
# systemd-analyze loads libdw and parses each file fully: about a minute a run, so one run.
hyperfine -N --runs 1 -i --export-markdown "$T/systemd.md" \
  -n "systemd-analyze inspect-elf" "xargs -a $T/files systemd-analyze inspect-elf --no-pager" \
  >/dev/null
tail -1 "$T/systemd.md"
echo

# Cold: the page cache dropped before every run (root only), the same commands in turn.
if [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; then
  COLD_RUNS=${COLD_RUNS:-7}
  echo "cold cache, $COLD_RUNS runs each, caches dropped before every run:"
  echo "| Command | wall median (s) | wall min-max | CPU median (s) |"
  echo "|:---|---:|---:|---:|"
  for i in $(seq "$COLD_RUNS"); do
    for spec in "pkgnote (default)=$PKGNOTE read -r --json $DIRS" "pkgnote --jobs 1=$PKGNOTE read -r --json --jobs 1 $DIRS" \
      "pkgnote --jobs $cores=$PKGNOTE read -r --json --jobs $cores $DIRS" \
      "floor: head -c 4096=xargs -a $T/files head -q -c 4096"; do
      sync
      echo 3 >/proc/sys/vm/drop_caches
      /usr/bin/time -a -o "$T/cold" -f "${spec%%=*}	%e %U %S" ${spec#*=} >/dev/null 2>&1 || true
    done
  done
  python3 - "$T/cold" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, _, times = line.rstrip("\n").partition("\t")
    f = times.split()
    if len(f) == 3:
        runs[name].append((float(f[0]), float(f[1]) + float(f[2])))
for name, r in runs.items():
    wall = [w for w, _ in r]
    print(f"| {name} | {statistics.median(wall):.3f} | {min(wall):.3f}-{max(wall):.3f} | "
          f"{statistics.median(c for _, c in r):.3f} |")
PY
  echo
fi

python3 bench/paired.py --runs 50 --warmup 5 --ref "readelf -n /usr/bin/ls" -- \
  "pkgnote read /usr/bin/ls=$PKGNOTE read /usr/bin/ls" \
  "readelf -n /usr/bin/ls=readelf -n /usr/bin/ls"
echo

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "| peak RSS (KiB) | recursive read | one file |"
echo "|:---|---:|---:|"
echo "| pkgnote | $(rss "$PKGNOTE" read -r --json $DIRS) | $(rss "$PKGNOTE" read /usr/bin/ls) |"
echo "| readelf -n | $(rss xargs -a "$T/files" readelf -n) | $(rss readelf -n /usr/bin/ls) |"
