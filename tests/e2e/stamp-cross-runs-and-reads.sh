#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote stamp` on every program kind (PIE, non-PIE, static, static-pie, shared object) of
# x86_64, i686, aarch64, armhf and s390x and on a Go program linked by Go's own linker: the stamped
# file runs exactly as before (same stdout, same exit status; qemu-user for the foreign ones, the
# shared object loaded by a program), readelf -n shows exactly one FDO_PACKAGING_METADATA note
# with the JSON, `pkgnote read` and systemd-analyze inspect-elf read the package, and the GNU
# build-id is unchanged. A sample of scripts/stamp-sweep-cross: each foreign arch's dynamic linker
# and libc from /usr/TRIPLET/lib, stamped in a copy (one note each, build-id kept), run the
# stamped PIE under qemu-user with -L the copy.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
build_stamp_inputs
analyze=yes
systemd-analyze inspect-elf "$T/in/x86_64-pie" >/dev/null 2>&1 || {
  analyze=no
  echo "note: systemd-analyze inspect-elf cannot run here: its check is skipped" >&2
}
mkdir -p "$T/out"
count=0
# Every program is checked, each in a subshell (fail ends that one only), so that one run names
# every program stamped wrong.
check_one() {
  name=$1
  in=$T/in/$name out=$T/out/$name
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name") -o "$out" "$in" || fail "$name: pkgnote stamp exit $?"
  before=$(run_stamp_input "$name" "$in")
  after=$(run_stamp_input "$name" "$out")
  [ "$before" = "$(expected_run "$name")" ] || fail "$name: the input does not run here: $before $(cat "$T/run.err")"
  [ "$before" = "$after" ] || fail "$name: ran '$before' before stamping, '$after' after ($(cat "$T/run.err"))"
  check_reads "$name" "$out"
  [ "$(build_id "$in")" = "$(build_id "$out")" ] ||
    fail "$name: build-id $(build_id "$in") became $(build_id "$out")"
  if [ $analyze = yes ]; then
    systemd-analyze inspect-elf "$out" >"$T/analyze" 2>&1 || fail "$name: systemd-analyze: $(cat "$T/analyze")"
    grep -Eq '^ +name: stamp-test$' "$T/analyze" && grep -Eq '^ +version: 1\.0-1$' "$T/analyze" ||
      fail "$name: systemd-analyze inspect-elf shows no package: $(cat "$T/analyze")"
  fi
}
failed=
for name in $(cat "$T/names"); do
  if (check_one "$name"); then count=$((count + 1)); else failed="$failed $name"; fi
done
[ -z "$failed" ] || fail "$count programs passed; these did not:$failed"
libs=0
for arch in $STAMP_ARCHES; do
  [ "$arch" != x86_64 ] || continue
  triplet=$(triplet_of "$arch")
  tree=$T/tree-$arch
  mkdir -p "$tree/lib"
  for lib in /usr/"$triplet"/lib/ld-*.so* /usr/"$triplet"/lib/ld64.so* /usr/"$triplet"/lib/libc.so.6; do
    [ -e "$lib" ] && cp -L "$lib" "$tree/lib/"
  done
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp -r $(stamp_args "$arch-pie") "$tree/lib" 2>"$T/stamp.err" ||
    fail "$arch: stamp -r of ld.so and libc: $(cat "$T/stamp.err")"
  for lib in "$tree"/lib/*; do
    check_reads "$arch-pie" "$lib"
    [ "$(build_id "$lib")" = "$(build_id "/usr/$triplet/lib/${lib##*/}")" ] || fail "$arch: ${lib##*/}: build-id changed"
    libs=$((libs + 1))
  done
  # /lib maps to the copy's lib under -L: the host's ld.so.cache is not searched first.
  status=0
  out=$(qemu-"$(echo "$arch" | sed 's/i686/i386/; s/armhf/arm/')"-static -L "$tree" -E LD_LIBRARY_PATH=/lib \
    "$T/out/$arch-pie" arg 2>"$T/run.err") || status=$?
  [ "$(printf '%s\nexit %s' "$out" "$status")" = "$(expected_run "$arch-pie")" ] ||
    fail "$arch: the stamped PIE with the stamped ld.so and libc: '$out' exit $status $(cat "$T/run.err")"
done
[ "$libs" -ge 8 ] || fail "only $libs cross libraries stamped"
echo "ok: $count stamped programs run as before and read back (systemd-analyze: $analyze); $libs cross ld.so and libc stamped, run under qemu"
