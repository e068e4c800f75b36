#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote generate`: 100 runs of a typical build-time call (metadata from options and
# --os-cpe auto, linker script written atomically to a file) against 100 runs of `python3 -c pass`,
# the start-up floor of the Python generator pkgnote replaces. Target: pkgnote at most 1/3 of
# Python's mean (and, for reference, python3 -S, which skips site imports). Wall and CPU time are
# both reported: CPU time does not depend on how busy the machine is. Also the other output forms,
# and peak RSS.
# Usage: bench/generate.sh [PKGNOTE]   (default: build/tools/pkgnote). Needs hyperfine, python3.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

args="generate --type deb --name hello --version 1.2-3 --architecture amd64 --os-cpe auto"
hyperfine -N --warmup 10 --runs 100 --export-json "$T/main.json" --export-markdown "$T/main.md" \
  -n "pkgnote generate (linker-script to a file)" "$PKGNOTE $args -o $T/note.ld" \
  -n "python3 -c pass" "python3 -c pass" \
  -n "python3 -S -c pass (no site imports)" "python3 -S -c pass" >/dev/null
cat "$T/main.md"
python3 - "$T/main.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ours, py = r[0]["mean"], r[1]["mean"]
verdict = "meets" if ours <= py / 3 else "MISSES"
print(f"\npkgnote / python3, wall: {ours * 1000:.2f} ms / {py * 1000:.2f} ms = {ours / py:.3f} "
      f"({verdict} the 1/3 target)")
# CPU time (user + system) does not depend on how busy the machine is; wall time does.
cpu = [x["user"] + x["system"] for x in r]
print(f"pkgnote / python3, CPU: {cpu[0] * 1000:.2f} ms / {cpu[1] * 1000:.2f} ms = "
      f"{cpu[0] / cpu[1]:.3f}")
print(f"pkgnote / python3 -S: wall {ours / r[2]['mean']:.3f}, CPU {cpu[0] / cpu[2]:.3f}")
PY
echo

hyperfine -N --warmup 10 --runs 100 --export-markdown "$T/forms.md" \
  -n "format ld-flag" "$PKGNOTE $args --format ld-flag -o $T/flag" \
  -n "format specs" "$PKGNOTE $args --format specs -o $T/specs" \
  -n "format note" "$PKGNOTE $args --format note -o $T/note.bin" \
  -n "64 KiB payload" "$PKGNOTE generate --name $(head -c 65000 /dev/zero | tr '\0' x) -o $T/big.ld" \
  >/dev/null
cat "$T/forms.md"
echo

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "| peak RSS (KiB) | |"
echo "|:---|---:|"
# shellcheck disable=SC2086 # args is several words
echo "| pkgnote generate | $(rss "$PKGNOTE" $args -o "$T/note.ld") |"
echo "| python3 -c pass | $(rss python3 -c pass) |"
