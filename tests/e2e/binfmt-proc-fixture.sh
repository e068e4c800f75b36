#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote binfmt --root` over tests/fixtures/binfmt/proc-root, a tree laid out like a system with
# binfmt_misc mounted: kernel entries come first and are the truth for --which (a disabled entry
# runs nothing), /etc/binfmt.d masks /usr/lib/binfmt.d by file name (also through a /dev/null
# symlink), the interpreter symlink resolves inside the root, and the interpreter's package note
# (stamped here by GNU ld's own --package-metadata, checked with readelf) is reported.
# tests/fixtures/binfmt/broken-root: malformed lines are reported one per line and exit 2.
set -eu
: "${PKGNOTE:?PKGNOTE must name the built pkgnote}"
command -v aarch64-linux-gnu-gcc >/dev/null ||
  { echo "skipped: aarch64-linux-gnu-gcc not installed" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

R=$T/root
cp -a "$PKGNOTE_SOURCE_DIR/tests/fixtures/binfmt/proc-root" "$R"
mkdir -p "$R/usr/bin" "$R/usr/libexec/qemu-binfmt"
printf 'int main(void) { return 0; }\n' >"$T/main.c"
json='{"type":"deb","name":"qemu-user-static","version":"1:7.2+dfsg-7","architecture":"amd64"}'
gcc "$T/main.c" -Xlinker "--package-metadata=$json" -o "$R/usr/bin/qemu-aarch64-static"
readelf -n "$R/usr/bin/qemu-aarch64-static" | grep -q 'FDO_PACKAGING_METADATA' || fail "ld did not stamp"
ln -s ../../bin/qemu-aarch64-static "$R/usr/libexec/qemu-binfmt/aarch64-binfmt-P"

"$PKGNOTE" binfmt --root "$R" --json >"$T/list.json"
cut -d, -f1-3 "$T/list.json" >"$T/heads"
cat >"$T/expected" <<'EXP'
{"name":"qemu-aarch64","source":"kernel","origin":"/proc/sys/fs/binfmt_misc/qemu-aarch64"
{"name":"qemu-arm","source":"kernel","origin":"/proc/sys/fs/binfmt_misc/qemu-arm"
{"name":"wine","source":"kernel","origin":"/proc/sys/fs/binfmt_misc/wine"
{"name":"qemu-aarch64-local","source":"binfmt.d","origin":"/etc/binfmt.d/qemu-aarch64.conf"
{"name":"wine-exe","source":"binfmt.d","origin":"/usr/lib/binfmt.d/wine.conf"
{"name":"qemu-aarch64","source":"binfmt-support","origin":"/usr/share/binfmts/qemu-aarch64"
EXP
diff -u "$T/expected" "$T/heads" || fail "registrations, their order or masking"

head -n 1 "$T/list.json" >"$T/first"
grep -qF '"interpreterPath":"/usr/bin/qemu-aarch64-static","flags":"POF"' "$T/first" ||
  fail "interpreter symlink or flags: $(cat "$T/first")"
grep -qF "\"stamped\":true,\"package\":$json}" "$T/first" || fail "package: $(cat "$T/first")"
grep -F '"name":"qemu-arm"' "$T/list.json" | grep -qF '"flags":"OC","preserveArgv0":false,"openBinary":true,"credentials":true' ||
  fail "credentials flag"
grep -F '"name":"wine"' "$T/list.json" | grep -qF '"enabled":false,"active":false,"type":"extension","extension":"exe"' ||
  fail "disabled extension entry"
# binfmt-support's qemu-aarch64 is shadowed by the kernel's live entry of the same name.
grep -F '"source":"binfmt-support","origin":"/usr/share/binfmts/qemu-aarch64"' "$T/list.json" |
  grep -qF '"active":false,"shadowedBy":"kernel /proc/sys/fs/binfmt_misc/qemu-aarch64"' ||
  fail "duplicate registration not shadowed: $(grep -F binfmt-support "$T/list.json")"
echo "ok: listing"

aarch64-linux-gnu-gcc "$T/main.c" -o "$T/hello"
"$PKGNOTE" binfmt --root "$R" --which "$T/hello" >"$T/which"
[ "$(head -n 1 "$T/which")" = "$T/hello: run by qemu-aarch64" ] || fail "which: $(cat "$T/which")"
grep -q '^ *source: kernel /proc/sys/fs/binfmt_misc/qemu-aarch64$' "$T/which" || fail "which source"
grep -q '^ *package: deb qemu-user-static 1:7.2+dfsg-7 amd64$' "$T/which" || fail "which package"
echo "ok: --which uses the kernel table"

: >"$T/setup.exe"
status=0
"$PKGNOTE" binfmt --root "$R" --which "$T/setup.exe" >/dev/null || status=$?
[ "$status" -eq 1 ] || fail "disabled kernel entry still matched (exit $status)"
rm -rf "$R/proc/sys/fs/binfmt_misc"/*
"$PKGNOTE" binfmt --root "$R" --which "$T/setup.exe" | head -n 1 | grep -qx "$T/setup.exe: run by wine-exe" ||
  fail "unmounted: binfmt.d's wine-exe should run setup.exe"
echo "ok: disabled kernel entry, then configured registration"

status=0
"$PKGNOTE" binfmt --root "$PKGNOTE_SOURCE_DIR/tests/fixtures/binfmt/broken-root" --json \
  >"$T/out" 2>"$T/err" || status=$?
[ "$status" -eq 2 ] || fail "broken root: exit $status"
grep -q '^{"name":"good",' "$T/out" || fail "the good line was not listed"
f=/usr/lib/binfmt.d/broken.conf
# Paths as seen inside the root, then the root; the notice that binfmt_misc is not mounted.
r="(under --root '$PKGNOTE_SOURCE_DIR/tests/fixtures/binfmt/broken-root')"
cat >"$T/expected-err" <<EXP
pkgnote: error: '$f': line 2: registration 'short-mask': mask is 1 bytes but magic is 2 $r
pkgnote: error: '$f': line 3: registration 'bad-flag': unknown flag 'Z' $r
pkgnote: error: '$f': line 4: registration: invalid name 'bad/name' $r
pkgnote: error: '$f': line 5: registration 'bad-escape' magic: \\x at offset 0 is not followed by two hex digits $r
pkgnote: error: '$f': line 6: registration 'too-far': offset 255 plus magic of 2 bytes exceeds the 256 bytes the kernel reads $r
pkgnote: binfmt_misc is not mounted: listing configured registrations
EXP
diff -u "$T/expected-err" "$T/err" || fail "broken root messages"
# Each error is a record too, naming the file as seen inside the root.
[ "$(grep -c "^{\"path\":\"$f\",\"error\":" "$T/out")" = 5 ] || fail "error records: $(cat "$T/out")"
echo "ok: malformed registrations"
