#!/bin/sh
# SPDX-License-Identifier: MIT
# Two package notes in one program (a vendored object's .note.package plus the link's own):
# the first is "package", as `systemd-analyze inspect-elf` reports it, the second goes to
# "extraPackages", and a warning goes to stderr (in --json mode too). Identical copies count as one.
set -eu
: "${PKGNOTE:?}"
for tool in gcc systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool not installed" >&2; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-read.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'int main(void) { return 0; }\n' >"$T/main.c"
cat >"$T/vendored.s" <<'ASM'
	.section .note.package,"a",@note
	.p2align 2
	.long 4, 2f - 1f, 0xcafe1a7e
	.asciz "FDO"
1:	.asciz "{\"type\":\"rpm\",\"name\":\"vendored\"}"
2:	.p2align 2
	.section .note.GNU-stack,"",@progbits
ASM
gcc -c -o "$T/vendored.o" "$T/vendored.s"
gcc -o "$T/two" "$T/main.c" "$T/vendored.o" -Xlinker '--package-metadata={"type":"deb","name":"main"}'
[ "$(readelf -n "$T/two" | grep -c FDO_PACKAGING_METADATA)" = 2 ] || fail "the link did not keep two notes"

"$PKGNOTE" read --json "$T/two" >"$T/out" 2>"$T/err" || fail "status $?"
build_id=$(readelf -n "$T/two" | sed -n 's/.*Build ID: //p')
[ "$(cat "$T/out")" = "{\"path\":\"$T/two\",\"format\":\"elf\",\"elfType\":\"executable\",\"elfArchitecture\":\"AMD x86-64\",\"buildId\":\"$build_id\",\"package\":{\"type\":\"deb\",\"name\":\"main\"},\"extraPackages\":[{\"type\":\"rpm\",\"name\":\"vendored\"}]}" ] ||
  fail "json: $(cat "$T/out")"
# The warning goes to stderr in JSON mode too; stdout stays pure JSON Lines.
[ "$(cat "$T/err")" = "pkgnote: warning: '$T/two': 2 different package notes, the first is reported as the package" ] ||
  fail "json mode stderr: $(cat "$T/err")"
systemd-analyze inspect-elf --json=short "$T/two" | grep -q "\"$T/two\":{\"type\":\"deb\",\"name\":\"main\"," ||
  fail "systemd-analyze does not report the first note as the package"

"$PKGNOTE" read "$T/two" >"$T/out" 2>"$T/err" || fail "status $?"
[ "$(cat "$T/err")" = "pkgnote: warning: '$T/two': 2 different package notes, the first is reported as the package
pkgnote: files read: 1, stamped: 1, unstamped: 0, errors: 0" ] || fail "human stderr: $(cat "$T/err")"
# Text: one block, the first note under package:, the second under extraPackage:, values in one
# column (the JSON's facts, under the JSON's names).
[ "$(cat "$T/out")" = "path:              $T/two
elfType:           executable
elfArchitecture:   AMD x86-64
buildId:           $build_id
package:
  type:            deb
  name:            main
extraPackage:
  type:            rpm
  name:            vendored" ] || fail "human output: $(cat "$T/out")"
# Identical copies (a vendored object carrying the very note the link adds, as glibc's ld.so carries
# three on Wolfi and Ubuntu) count as one: one package, no extraPackages, no warning.
cat >"$T/same.s" <<'ASM'
	.section .note.package,"a",@note
	.p2align 2
	.long 4, 2f - 1f, 0xcafe1a7e
	.asciz "FDO"
1:	.asciz "{\"type\":\"deb\",\"name\":\"main\"}"
2:	.p2align 2
	.section .note.GNU-stack,"",@progbits
ASM
gcc -c -o "$T/same.o" "$T/same.s"
gcc -o "$T/same" "$T/main.c" "$T/same.o" -Xlinker '--package-metadata={"type":"deb","name":"main"}'
[ "$(readelf -n "$T/same" | grep -c FDO_PACKAGING_METADATA)" = 2 ] || fail "the link did not keep two notes"
"$PKGNOTE" read --json "$T/same" >"$T/out" 2>"$T/err" || fail "identical notes: status $?"
build_id=$(readelf -n "$T/same" | sed -n 's/.*Build ID: //p')
[ "$(cat "$T/out")" = "{\"path\":\"$T/same\",\"format\":\"elf\",\"elfType\":\"executable\",\"elfArchitecture\":\"AMD x86-64\",\"buildId\":\"$build_id\",\"package\":{\"type\":\"deb\",\"name\":\"main\"}}" ] ||
  fail "identical notes: $(cat "$T/out")"
[ ! -s "$T/err" ] || fail "identical notes warned: $(cat "$T/err")"
echo ok
