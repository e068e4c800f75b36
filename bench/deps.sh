#!/bin/sh
# SPDX-License-Identifier: MIT
# Benchmark of `pkgnote read --deps`: a recursive read of /usr/bin and /usr/lib/x86_64-linux-gnu
# with --deps (PT_DYNAMIC, the DT_NEEDED strings and the loader's search inside / for every file)
# against the plain read of the same tree, and the plain read against main's binary (the plain
# read must not be slower for the feature), in paired rounds (bench/paired.py). Targets: --deps
# at most 1.5x the plain read; the plain read at most 1.0x main's (within the noise).
# Usage: bench/deps.sh [PKGNOTE] [MAIN_PKGNOTE]   (defaults: build/tools/pkgnote,
# /work/main/build/tools/pkgnote; RUNS, default 15). Needs python3.
set -eu
cd "$(dirname "$0")/.."
PKGNOTE=$(realpath "${1:-build/tools/pkgnote}")
MAIN=${2:-/work/main/build/tools/pkgnote}
RUNS=${RUNS:-15}
DIRS="/usr/bin /usr/lib/x86_64-linux-gnu"
echo "files: $("$PKGNOTE" read -r --json $DIRS 2>/dev/null | wc -l || true) ELF files under $DIRS"
"$PKGNOTE" read -r --deps --json $DIRS 2>/dev/null | python3 -c '
import json, sys
found = missing = 0
for line in sys.stdin:
    for path in json.loads(line).get("resolved", {}).values():
        found, missing = (found + 1, missing) if path else (found, missing + 1)
print(f"resolved: {found} sonames found, {missing} not found")' || true
set -- "plain=$PKGNOTE read -r --json $DIRS" "deps=$PKGNOTE read -r --deps --json $DIRS"
[ -x "$MAIN" ] && set -- "$@" "main=$MAIN read -r --json $DIRS"
python3 bench/paired.py --runs "$RUNS" --ref plain -- "$@"
