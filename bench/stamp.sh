#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote stamp` (issue 17). 1: stamping a 256 MiB program (-o into the same
# directory) against `cp` of the same file, in paired A B A B runs (RUNS, default 15), medians
# with the spread (min..max), wall and CPU (user+system) time side by side, then the peak RSS of
# each (GNU time -v). Targets: at most 1.5x cp, at most 64 MiB. The program's bulk is 256 MiB of
# random bytes in .rodata (.incbin), so neither a sparse copy nor compression flatters either.
# 2: the time to stamp every ELF file of Debian's unpacked qemu-user-static (`pkgnote stamp -r`
# on a fresh `dpkg-deb -x` tree, beside `cp -a` of the same tree).
# Usage: bench/stamp.sh [PKGNOTE [DEB]]   (default: build/tools/pkgnote and a fresh
# `apt-get download qemu-user-static`). Needs gcc, python3, GNU time, dpkg.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
RUNS=${RUNS:-15}
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
META="--type deb --name bench --version 1.0-1 --architecture amd64"

head -c $((256 << 20)) /dev/urandom >"$T/bulk.bin"
cat >"$T/big.c" <<C
#include <stdio.h>
__asm__(".section .rodata\n.globl bulk\nbulk:\n.incbin \"$T/bulk.bin\"\n.previous");
extern const unsigned char bulk[];
int main(void) { printf("%d\n", bulk[12345]); return 0; }
C
gcc -O2 -Wl,--build-id=sha1 "$T/big.c" -o "$T/big"
rm "$T/bulk.bin"
# On a file system with reflinks (btrfs, XFS), cp clones instead of copying: the file system is shown.
echo "program: $(stat -c %s "$T/big") bytes on $(stat -f -c %T "$T"); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
"$PKGNOTE" stamp $META -o "$T/big.stamped" "$T/big"
"$T/big.stamped" >/dev/null || { echo "the stamped program does not run" >&2; exit 1; }
readelf -nW "$T/big.stamped" | grep 'Packaging Metadata'
rm "$T/big.stamped"

# Paired runs: each pair runs cp and stamp back to back in alternating order, the output removed
# (and the page cache holding the input warm) between runs. wait4 gives each child's CPU time.
python3 - "$PKGNOTE" "$T" "$RUNS" "$META" <<'PY'
import os, statistics, subprocess, sys, time
pkgnote, T, runs, meta = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()
src, out = f"{T}/big", f"{T}/big.out"
cmds = {"cp": ["cp", src, out], "pkgnote stamp": [pkgnote, "stamp", *meta, "-o", out, src]}
def run(argv):
    if os.path.exists(out):
        os.unlink(out)
    start = time.perf_counter()
    p = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{argv[0]} failed: {status}")
    return wall, usage.ru_utime + usage.ru_stime
for name in cmds:
    run(cmds[name])  # warm-up: the input in the page cache
results = {name: [] for name in cmds}
for i in range(runs):
    order = list(cmds) if i % 2 == 0 else list(reversed(cmds))
    for name in order:
        results[name].append(run(cmds[name]))
def fmt(values):
    return f"{statistics.median(values):.3f} s ({min(values):.3f}..{max(values):.3f})"
print(f"| {runs} paired runs | wall median (min..max) | CPU median (min..max) |")
print("|---|---|---|")
for name, rs in results.items():
    print(f"| {name} | {fmt([w for w, _ in rs])} | {fmt([c for _, c in rs])} |")
ratios = [s[0] / c[0] for s, c in zip(results["pkgnote stamp"], results["cp"])]
print(f"stamp/cp wall, per pair: median {statistics.median(ratios):.2f}x "
      f"({min(ratios):.2f}..{max(ratios):.2f}); target <= 1.5x")
PY

# shellcheck disable=SC2086
for cmd in "cp $T/big $T/big.out" "$PKGNOTE stamp $META -o $T/big.out $T/big"; do
  rm -f "$T/big.out"
  /usr/bin/time -v -o "$T/rss" $cmd 2>/dev/null
  echo "peak RSS, $(basename "${cmd%% *}"): $(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/rss") KiB (stamp's target: <= 65536)"
done
rm -f "$T/big" "$T/big.out"

# Debian's qemu-user-static, unpacked: every ELF file stamped, a fresh tree each run.
if [ -n "${2:-}" ]; then
  DEB=$(realpath "$2")
else
  (cd "$T" && apt-get download qemu-user-static >/dev/null 2>&1)
  DEB=$(ls "$T"/qemu-user-static_*.deb)
fi
dpkg-deb -x "$DEB" "$T/unpacked"
echo "package: $(basename "$DEB"): $(find "$T/unpacked" -type f | wc -l) files, $(du -sb "$T/unpacked" | cut -f1) bytes unpacked"
python3 - "$PKGNOTE" "$T" "${QEMU_RUNS:-5}" <<'PY'
import os, shutil, statistics, subprocess, sys, time
pkgnote, T, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
tree = f"{T}/tree"
def timed(argv):
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, status
stamp, copy = [], []
for i in range(runs):
    shutil.rmtree(tree, ignore_errors=True)
    copy.append(timed(["cp", "-a", f"{T}/unpacked", tree]))
    wall, cpu, status = timed([pkgnote, "stamp", "--type", "deb", "--name", "qemu",
                               "--version", "1:7.2+dfsg-7", "--architecture", "amd64", "-r", tree])
    if status != 0:
        sys.exit(f"pkgnote stamp -r exit {status >> 8}")
    stamp.append((wall, cpu))
for name, rs in (("cp -a of the tree", copy), ("pkgnote stamp -r", stamp)):
    w = [r[0] for r in rs]; c = [r[1] for r in rs]
    print(f"{name}: wall median {statistics.median(w):.2f} s ({min(w):.2f}..{max(w):.2f}), "
          f"CPU {statistics.median(c):.2f} s, {runs} runs")
PY
"$PKGNOTE" read -r "$T/tree" 2>&1 >/dev/null | tail -n 1
