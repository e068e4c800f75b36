#!/bin/sh
# SPDX-License-Identifier: MIT
# What `pkgnote stamp` does to the files around the note, on every program kind: stamping again
# with the same values gives a byte-identical file (in place and with -o); -o leaves the input
# byte-identical; stamping in place keeps the mode (setuid and setgid bits included) and the
# owner; a file that has a note (stamped, or linked with --package-metadata) gets it replaced, one
# note afterwards; --if-unstamped stamps an unstamped file and leaves a stamped one byte-identical.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
build_stamp_inputs
mkdir -p "$T/out"
count=0
# Every program is checked, each in a subshell (fail ends that one only), so that one run names
# every program stamped wrong.
check_one() {
  name=$1
  in=$T/in/$name out=$T/out/$name
  cp "$in" "$T/pristine"
  # shellcheck disable=SC2046
  set -- $(stamp_args "$name")
  "$PKGNOTE" stamp "$@" -o "$out" "$in" || fail "$name: stamp -o exit $?"
  cmp -s "$in" "$T/pristine" || fail "$name: stamp -o changed its input"
  "$PKGNOTE" stamp "$@" -o "$out.again" "$out" || fail "$name: restamp -o exit $?"
  cmp "$out" "$out.again" || fail "$name: stamping a stamped file with the same values changed it"
  "$PKGNOTE" stamp "$@" -o "$out.twice" "$in" || fail "$name: second stamp -o exit $?"
  cmp "$out" "$out.twice" || fail "$name: two stamps of the same input differ"

  # In place, mode kept (setuid and setgid included), same bytes as -o gave.
  cp "$in" "$out.inplace"
  # Owner too, when this runs as root (chown after chmod would clear the setuid bit).
  [ "$(id -u)" != 0 ] || chown 65534:65534 "$out.inplace"
  chmod 6751 "$out.inplace"
  owner=$(stat -c %u:%g "$out.inplace")
  "$PKGNOTE" stamp "$@" "$out.inplace" || fail "$name: in-place stamp exit $?"
  [ "$(stat -c %a "$out.inplace")" = 6751 ] || fail "$name: mode 6751 became $(stat -c %a "$out.inplace")"
  [ "$(stat -c %u:%g "$out.inplace")" = "$owner" ] || fail "$name: owner $owner became $(stat -c %u:%g "$out.inplace")"
  cmp "$out" "$out.inplace" || fail "$name: stamping in place and with -o differ"
  "$PKGNOTE" stamp "$@" "$out.inplace" || fail "$name: in-place restamp exit $?"
  cmp "$out" "$out.inplace" || fail "$name: restamping in place changed the file"

  # Other values replace the note: one note, the new JSON; and back again gives the first bytes.
  sed_version="s/--version 1.0-1/--version 2.0-1/"
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name" | sed "$sed_version") -o "$out.v2" "$out" || fail "$name: restamp v2"
  [ "$(note_count "$out.v2")" = 1 ] || fail "$name: $(note_count "$out.v2") notes after replacing"
  note_json "$out.v2" | grep -q '"version":"2.0-1"' || fail "$name: v2 note: $(note_json "$out.v2")"
  "$PKGNOTE" stamp "$@" -o "$out.v1" "$out.v2" || fail "$name: restamp v1"
  check_reads "$name" "$out.v1"

  # --if-unstamped: stamps the unstamped input, leaves the stamped v2 byte-identical.
  cp "$out.v2" "$out.keep"
  "$PKGNOTE" stamp "$@" --if-unstamped "$out.keep" || fail "$name: --if-unstamped on a stamped file exit $?"
  cmp -s "$out.v2" "$out.keep" || fail "$name: --if-unstamped changed a stamped file"
  cp "$in" "$out.fresh"
  "$PKGNOTE" stamp "$@" --if-unstamped "$out.fresh" || fail "$name: --if-unstamped exit $?"
  cmp "$out" "$out.fresh" || fail "$name: --if-unstamped did not stamp an unstamped file as stamp does"
}
failed=
for name in $(cat "$T/names"); do
  if (check_one "$name"); then count=$((count + 1)); else failed="$failed $name"; fi
done
[ -z "$failed" ] || fail "$count programs passed; these did not:$failed"

# A note put there by the linker is replaced too: one note afterwards, the new payload.
gcc -O2 "$T/prog.c" -o "$T/linked" -Xlinker '--package-metadata={"type":"deb","name":"from-the-linker"}'
# shellcheck disable=SC2046
"$PKGNOTE" stamp $(stamp_args x86_64-pie) "$T/linked" || fail "stamp of a link-time note exit $?"
check_reads x86_64-pie "$T/linked"
echo "ok: $count programs: restamp byte-identical, -o leaves the input, mode kept, notes replaced, --if-unstamped"
