#!/bin/sh
# SPDX-License-Identifier: MIT
# The stamped note is loadable, so stripping keeps it: binutils' strip (the architecture's own)
# and elfutils' eu-strip leave exactly one note with the JSON, and the stripped program still runs
# exactly as the unstamped input did and still reads with pkgnote. A file whose program header
# table the "segment" layout moved is stripped by binutils before it is stamped (BFD cannot
# rewrite such a file; eu-strip can).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need eu-strip
build_stamp_inputs
mkdir -p "$T/out"
count=0
# Every program is checked, each in a subshell (fail ends that one only), so that one run names
# every program stamped wrong.
check_one() {
  name=$1
  arch=${name%%-*}
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name") -o "$T/out/$name" "$T/in/$name" || fail "$name: stamp exit $?"
  # What the unstamped input prints (e2e.stamp-cross-runs-and-reads runs it; not again here).
  before=$(expected_run "$name")
  strip=$(strip_of "$arch")
  [ "$arch" = go ] && strip=$(strip_of x86_64)
  phoff() { readelf -hW "$1" | sed -n 's/.*Start of program headers: *\([0-9]*\).*/\1/p'; }
  if [ "$(phoff "$T/in/$name")" = "$(phoff "$T/out/$name")" ]; then
    "$strip" -o "$T/out/$name.strip" "$T/out/$name" || fail "$name: $strip"
  else
    # The "segment" layout moved the program header table to a PT_LOAD of its own, which BFD
    # cannot rewrite (docs/stamp.md): binutils' strip runs first, as in dh_pkgnote_stamp and rpm.
    "$strip" -o "$T/out/$name.strip" "$T/in/$name" || fail "$name: $strip"
    # shellcheck disable=SC2046
    "$PKGNOTE" stamp $(stamp_args "$name") "$T/out/$name.strip" || fail "$name: stamp after $strip"
  fi
  eu-strip -o "$T/out/$name.eu-strip" "$T/out/$name" || fail "$name: eu-strip"
  for stripped in "$T/out/$name.strip" "$T/out/$name.eu-strip"; do
    check_reads "$name" "$stripped"
    after=$(run_stamp_input "$name" "$stripped")
    [ "$before" = "$after" ] || fail "$name: $(basename "$stripped") runs '$after', not '$before'"
  done
}
failed=
for name in $(cat "$T/names"); do
  if (check_one "$name"); then count=$((count + 1)); else failed="$failed $name"; fi
done
[ -z "$failed" ] || fail "$count programs passed; these did not:$failed"
echo "ok: $count stamped programs keep their note through strip and eu-strip and still run"
