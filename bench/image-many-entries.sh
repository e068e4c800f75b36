#!/bin/sh
# SPDX-License-Identifier: MIT
# Peak RSS of `pkgnote read` on an OCI layout whose one gzip layer holds ENTRIES (default
# 1,000,000) empty files and one stamped program (tests/e2e/image-many-entries.py writes it: a
# 512 MB tar for a million), with /usr/bin/time -v, PAIRS times (default 5) for each PKGNOTE
# given, alternating; then the bytes per entry beside an image of 1000 entries. RSS does not
# depend on the machine's load (wall and CPU are printed, but they do). The records of every
# build must be the same bytes.
# Usage: bench/image-many-entries.sh [PKGNOTE...]   (default: build/tools/pkgnote).
set -eu
cd "$(dirname "$0")/.."
ENTRIES=${ENTRIES:-1000000}
PAIRS=${PAIRS:-5}
[ $# -gt 0 ] || set -- build/tools/pkgnote
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-bench-entries.XXXXXX")
trap 'rm -rf "$T"' EXIT

mkdir "$T/progs"
printf 'int main(void) { return 0; }\n' >"$T/main.c"
gcc -o "$T/progs/a" "$T/main.c" -Xlinker '--package-metadata={"type":"deb","name":"app","version":"1"}'
python3 tests/e2e/image-many-entries.py "$T/many" --entries "$ENTRIES" --programs "$T/progs"
python3 tests/e2e/image-many-entries.py "$T/few" --entries 1000 --programs "$T/progs"

peak() { # PKGNOTE IMAGE OUT: "KB wall user sys"
  /usr/bin/time -f '%M %e %U %S' -o "$T/time" "$1" read --json "$2" >"$3"
  cat "$T/time"
}
echo "| build | entries | peak RSS KiB | wall s | user s | sys s | bytes per entry |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq "$PAIRS"); do
  n=0
  for pkgnote in "$@"; do
    n=$((n + 1))
    read -r base _ <<EOT
$(peak "$pkgnote" "$T/few" "$T/few-$n.json")
EOT
    read -r kb wall user sys <<EOT
$(peak "$pkgnote" "$T/many" "$T/out-$n.json")
EOT
    if [ "$n" -gt 1 ]; then cmp -s "$T/out-1.json" "$T/out-$n.json" || { echo "records differ: $pkgnote" >&2; exit 1; }; fi
    echo "| $pkgnote | $ENTRIES | $kb | $wall | $user | $sys | $(( (kb - base) * 1024 / ENTRIES )) |"
  done
done
