#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote binfmt --which` names the qemu registration that runs a real cross-compiled program
# (aarch64, armhf, s390x, ppc64el, riscv64), exits 0, and says so in JSON; a native x86-64
# program matches no registration and exits 1; an unreadable file exits 2 with one error line.
# The registrations are this machine's: the kernel's table when mounted, else qemu-user-static's
# binfmt.d files; both name the handler qemu-ARCH.
set -eu
: "${PKGNOTE:?PKGNOTE must name the built pkgnote}"
[ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] ||
  { echo "skipped: qemu-user-static not installed" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
printf 'int main(void) { return 0; }\n' >"$T/main.c"

for pair in aarch64-linux-gnu:qemu-aarch64 arm-linux-gnueabihf:qemu-arm \
            s390x-linux-gnu:qemu-s390x powerpc64le-linux-gnu:qemu-ppc64le \
            riscv64-linux-gnu:qemu-riscv64; do
  triple=${pair%%:*} handler=${pair#*:}
  command -v "$triple-gcc" >/dev/null || { echo "skipped: $triple-gcc not installed" >&2; exit 77; }
  "$triple-gcc" "$T/main.c" -o "$T/$triple"
  out=$("$PKGNOTE" binfmt --which "$T/$triple") || [ $? -eq 2 ]
  first=$(printf '%s\n' "$out" | head -n 1)
  [ "$first" = "$T/$triple: run by $handler" ] || { echo "FAIL: $triple: $first" >&2; exit 1; }
  json=$("$PKGNOTE" binfmt --which "$T/$triple" --json) || [ $? -eq 2 ]
  printf '%s\n' "$json" | grep -q "^{\"path\":\"$T/$triple\",\"handler\":{\"name\":\"$handler\"" ||
    { echo "FAIL: $triple json: $json" >&2; exit 1; }
  echo "ok: $triple -> $handler"
done

gcc "$T/main.c" -o "$T/native"
status=0
out=$("$PKGNOTE" binfmt --which "$T/native" 2>/dev/null) || status=$?
[ "$status" -eq 1 ] || { echo "FAIL: native: exit $status" >&2; exit 1; }
[ "$out" = "$T/native: no binfmt_misc registration matches" ] || { echo "FAIL: $out" >&2; exit 1; }
json=$("$PKGNOTE" binfmt --which "$T/native" --json 2>/dev/null) || true
[ "$json" = "{\"path\":\"$T/native\",\"handler\":null,\"alsoMatching\":[]}" ] ||
  { echo "FAIL: native json: $json" >&2; exit 1; }
echo "ok: native x86-64 has no handler"

status=0
"$PKGNOTE" binfmt --which "$T/missing" >/dev/null 2>"$T/err" || status=$?
[ "$status" -eq 2 ] || { echo "FAIL: missing file: exit $status" >&2; exit 1; }
grep -qx "pkgnote: error: '$T/missing': no such file or directory" "$T/err" ||
  { echo "FAIL: missing file message: $(cat "$T/err")" >&2; exit 1; }
echo "ok: unreadable file"
