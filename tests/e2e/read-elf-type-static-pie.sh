#!/bin/sh
# SPDX-License-Identifier: MIT
# elfType with the loader's view of PIEs, on programs the real toolchain links: a static PIE
# (gcc -static-pie: ET_DYN, no PT_INTERP, DF_1_PIE; what Debian's qemu-aarch64-static is) and a
# dynamic PIE are "executable", as file(1) says; a shared library is "shared-object"; a non-PIE
# is "executable". readelf shows the facts each answer rests on. Debian's own
# qemu-aarch64-static, when installed, says executable too.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc readelf file
cd "$T"
printf 'int main(void) { return 0; }\n' >prog.c
printf 'int lib(void) { return 1; }\n' >lib.c
gcc -static-pie -o static-pie prog.c
gcc -pie -fPIE -o pie prog.c
gcc -no-pie -o no-pie prog.c
gcc -shared -fPIC -o lib.so lib.c

# The facts: the static PIE is ET_DYN without an interpreter, with DF_1_PIE.
readelf -hW static-pie | grep -q 'Type: *DYN' || fail "static-pie is not ET_DYN"
! readelf -lW static-pie | grep -q 'INTERP' || fail "static-pie has an interpreter"
readelf -dW static-pie | grep 'FLAGS_1' | grep -q 'PIE' || fail "static-pie lacks DF_1_PIE"
file static-pie | grep -q 'static-pie linked' || fail "file does not call it a static-pie: $(file static-pie)"

elf_type() { "$PKGNOTE" read --json "$1" 2>/dev/null | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["elfType"])'; }
for pair in static-pie:executable pie:executable no-pie:executable lib.so:shared-object; do
  name=${pair%%:*} want=${pair#*:}
  got=$(elf_type "$name")
  [ "$got" = "$want" ] || fail "$name: elfType $got, expected $want ($(file -b "$name"))"
  echo "ok: $name: $got"
done
"$PKGNOTE" read static-pie 2>/dev/null | grep -qx 'elfType: *executable' || fail "text output of static-pie"

# The same bytes through a compressed stream (the dynamic table is read behind the notes).
gzip -c static-pie >static-pie.gz
[ "$(elf_type static-pie.gz)" = executable ] || fail "static-pie.gz: elfType $(elf_type static-pie.gz)"
[ "$("$PKGNOTE" read --json - <static-pie | python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["elfType"])')" = executable ] ||
  fail "static-pie on stdin"
echo "ok: static-pie compressed and on stdin"

qemu=$(command -v qemu-aarch64-static || true)
if [ -n "$qemu" ]; then
  qemu=$(readlink -f "$qemu")
  if file "$qemu" | grep -q 'static-pie'; then
    [ "$(elf_type "$qemu")" = executable ] || fail "$qemu: elfType $(elf_type "$qemu")"
    echo "ok: $qemu: executable"
  fi
fi
