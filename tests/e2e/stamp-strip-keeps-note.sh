#!/bin/sh
# SPDX-License-Identifier: MIT
# The stamped note is loadable, so stripping keeps it: binutils' strip (the architecture's own)
# and elfutils' eu-strip leave exactly one note with the JSON, and the stripped program still runs
# exactly as the unstamped input did and still reads with pkgnote. A file whose program header
# table the "segment" layout moved (here aarch64 and s390x -static, aarch64 -static-pie) is
# stripped by binutils before it is stamped, the order of dh_strip/dh_pkgnote_stamp and of
# brp-strip/the rpm hook (e2e.stamp-debhelper and e2e.stamp-rpmbuild run them); eu-strip after
# stamping keeps it working. What binutils' strip after stamping does to such a file is checked
# too, as docs/stamp.md describes it: BFD lays the stripped file out again and puts the segment
# holding the table right after the last segment's bytes, so that segment's address minus offset
# is no longer the first PT_LOAD's (AT_PHDR as kernels before 5.18 and qemu-user compute it then
# points elsewhere: the static programs crash under qemu).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need eu-strip
build_stamp_inputs
mkdir -p "$T/out"
count=0 moved=0
phoff() { readelf -hW "$1" | sed -n 's/.*Start of program headers: *\([0-9]*\).*/\1/p'; }
# phdr_bias_kept FILE: the PT_LOAD holding e_phoff maps it with the first PT_LOAD's address minus
# offset, which AT_PHDR needs on kernels before 5.18 and under qemu-user (first PT_LOAD's address
# + e_phoff).
phdr_bias_kept() {
  readelf -hW "$1" >"$T/h" && readelf -lW "$1" >"$T/l" || return 1
  python3 - "$T/h" "$T/l" <<'PY'
import re, sys
phoff = int(re.search(r"Start of program headers:\s+(\d+)", open(sys.argv[1]).read()).group(1))
loads = [tuple(int(g, 16) for g in m.groups()) for m in
         re.finditer(r"LOAD\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)", open(sys.argv[2]).read())]
holder = [l for l in loads if l[0] <= phoff < l[0] + l[2]]
sys.exit(not holder or holder[0][1] - holder[0][0] != loads[0][1] - loads[0][0])
PY
}
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
  if [ "$(phoff "$T/in/$name")" = "$(phoff "$T/out/$name")" ]; then
    "$strip" -o "$T/out/$name.strip" "$T/out/$name" || fail "$name: $strip"
  else
    # The "segment" layout moved the program header table to a PT_LOAD of its own, which BFD
    # cannot rewrite (docs/stamp.md): binutils' strip runs first, as in dh_pkgnote_stamp and rpm.
    phdr_bias_kept "$T/out/$name" || fail "$name: the stamped table's segment is not at the first one's bias"
    "$strip" -o "$T/out/$name.strip" "$T/in/$name" || fail "$name: $strip"
    # shellcheck disable=SC2046
    "$PKGNOTE" stamp $(stamp_args "$name") "$T/out/$name.strip" || fail "$name: stamp after $strip"
    # The documented breakage of the other order (if this fails, BFD learnt to keep the bias:
    # say so in docs/stamp.md and strip after stamping here too).
    "$strip" -o "$T/out/$name.strip-after" "$T/out/$name" 2>"$T/strip.err" || fail "$name: $strip after stamping"
    ! phdr_bias_kept "$T/out/$name.strip-after" ||
      fail "$name: $strip after stamping kept the table's segment at the first one's bias (docs/stamp.md says it does not)"
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
  [ "$(phoff "$T/in/$name")" = "$(phoff "$T/out/$name")" ] || moved=$((moved + 1))
done
[ -z "$failed" ] || fail "$count programs passed; these did not:$failed"
# Both cases must be met: aarch64 and s390x -static get the moved table (docs/stamp.md).
[ "$moved" -ge 1 ] && [ "$moved" -lt "$count" ] || fail "$moved of $count programs had their table moved: both cases are not covered"
echo "ok: $count stamped programs keep their note through strip and eu-strip and still run ($moved with the table moved: stripped first)"
