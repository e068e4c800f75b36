#!/bin/sh
# SPDX-License-Identifier: MIT
# Reading a core costs the same whatever the process's size: gcores of the same stamped program
# holding 1 MiB and 1 GiB of touched heap are read in comparable time (the 1 GiB one at most 4
# times the 1 MiB one, plus 50 ms of noise) and under 64 MiB of peak RSS, because only the notes
# and the pages holding module headers are read.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb
[ -x /usr/bin/time ] || { echo "skipped: /usr/bin/time not installed" >&2; exit 77; }
free=$(df -Pk "$T" | awk 'NR==2 {print $4}')
[ "$free" -gt 3000000 ] || { echo "skipped: less than 3 GiB free in $T" >&2; exit 77; }

gcc "$PKGNOTE_SOURCE_DIR/tests/e2e/core-files/hog.c" -o "$T/hog" -Xlinker '--package-metadata={"type":"deb","name":"hog"}'

measure() { # measure MIB: prints "milliseconds rss_kib core_bytes"
  "$T/hog" "$1" &
  pid=$!
  sleep $(( $1 > 100 ? 3 : 1 ))
  gcore -o "$T/hog-$1" "$pid" >/dev/null 2>&1 || { kill "$pid"; fail "gcore"; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  core=$T/hog-$1.$pid
  "$PKGNOTE" read --json "$core" | grep -q '"name":"hog"' || fail "$1 MiB: package not found"
  best=999999
  for i in 1 2 3; do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$T/rss" "$PKGNOTE" read --json "$core" >/dev/null
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best $(tail -n 1 "$T/rss") $(stat -c %s "$core")"
  rm -f "$core"
}
set -- $(measure 1); small_ms=$1 small_rss=$2 small_size=$3
set -- $(measure 1024); big_ms=$1 big_rss=$2 big_size=$3
echo "1 MiB process: core $small_size bytes, ${small_ms} ms, ${small_rss} KiB peak RSS"
echo "1 GiB process: core $big_size bytes, ${big_ms} ms, ${big_rss} KiB peak RSS"
[ "$big_size" -gt 1000000000 ] || fail "the big core is only $big_size bytes"
[ "$big_rss" -lt 65536 ] || fail "peak RSS $big_rss KiB"
[ "$big_ms" -le $(( small_ms * 4 + 50 )) ] || fail "1 GiB core took ${big_ms} ms vs ${small_ms} ms"
echo "ok: cost independent of core size"
