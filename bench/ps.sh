#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote ps` over every process of the machine, in paired rounds (bench/paired.py)
# against the floor of reading every maps file (`cat /proc/[0-9]*/maps`) and against Debian's
# needrestart in batch mode (`needrestart -b`, which answers "what needs a restart" without
# versions). Targets (issue 25): at most 3x the cat and 0.2x needrestart in wall time, peak RSS
# under 32 MiB. Run as root (as needrestart is), so that every process can be read.
# Usage: bench/ps.sh [PKGNOTE] [ROUNDS]   (default: build/tools/pkgnote, 15). Needs needrestart
# (apt-get install needrestart; not needed by the tests) and /usr/bin/time.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
ROUNDS=${2:-15}
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench-ps.XXXXXX")
trap 'rm -rf "$T"' EXIT
command -v needrestart >/dev/null || { echo "bench/ps.sh: needs needrestart" >&2; exit 1; }

# The commands run without a shell (paired.py): the glob needs one, so each side gets a small
# script, the shell's start-up cost on both.
printf '#!/bin/sh\nexec cat /proc/[0-9]*/maps >/dev/null 2>&1\n' >"$T/cat-maps"
printf '#!/bin/sh\nexec "%s" ps --json >/dev/null 2>&1\n' "$PKGNOTE" >"$T/pkgnote-ps"
printf '#!/bin/sh\nexec needrestart -b >/dev/null 2>&1\n' >"$T/needrestart"
chmod +x "$T/cat-maps" "$T/pkgnote-ps" "$T/needrestart"

echo "processes: $(ls -d /proc/[0-9]* | wc -l), mapped files: $(cat /proc/[0-9]*/maps 2>/dev/null |
  awk '$6 ~ /^\// { print $5, $4 }' | sort -u | wc -l)"
python3 bench/paired.py --runs "$ROUNDS" --warmup 2 --ref cat --ratio needrestart -- \
  "pkgnote=$T/pkgnote-ps" "cat=$T/cat-maps" "needrestart=$T/needrestart"

echo
/usr/bin/time -f '%M' -o "$T/rss" "$PKGNOTE" ps --json >/dev/null 2>&1 || true
echo "peak RSS of pkgnote ps --json: $(tail -n 1 "$T/rss") KiB"
/usr/bin/time -f '%M' -o "$T/rss" "$PKGNOTE" ps --format cyclonedx >/dev/null 2>&1 || true
echo "peak RSS of pkgnote ps --format cyclonedx: $(tail -n 1 "$T/rss") KiB"
