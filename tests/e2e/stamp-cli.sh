#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote stamp` as a user meets it, on copies of a real program: in place with mode and owner
# kept, -o leaving the input byte-identical, the same values twice giving the same bytes and
# writing nothing, --if-unstamped, replacement by other values, -r skipping what is not an
# executable or shared object, and exit 2 with the file untouched for what cannot be stamped.
set -eu
prog=/usr/bin/sleep
[ -x "$prog" ] && command -v cc >/dev/null || exit 77
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
meta="--type deb --name coreutils --version 9.1-1 --architecture amd64"

cp "$prog" a && chmod 4751 a
cp -p a a.orig
"$PKGNOTE" stamp $meta a 2>err || fail "stamp a: $(cat err)"
grep -qx "pkgnote: files stamped: 1, unchanged: 0, left alone: 0, errors: 0" err || fail "summary: $(cat err)"
[ "$(stat -c %a:%u:%g a)" = "$(stat -c %a:%u:%g a.orig)" ] || fail "mode or owner changed: $(stat -c %a:%u:%g a)"
./a 0 || fail "stamped program does not run"
"$PKGNOTE" read --json a | grep -q '"package":{"type":"deb","name":"coreutils","version":"9.1-1","architecture":"amd64"}' ||
  fail "note does not read back"
[ "$(readelf -n a | grep -c FDO_PACKAGING_METADATA)" = 1 ] || fail "not exactly one note"
[ "$("$PKGNOTE" read --json a | sed 's/.*"buildId":"\([0-9a-f]*\)".*/\1/')" = \
  "$("$PKGNOTE" read --json a.orig | sed 's/.*"buildId":"\([0-9a-f]*\)".*/\1/')" ] || fail "build-id changed"

# -o: the input stays as it was; the same values on the stamped file: the same bytes.
"$PKGNOTE" stamp $meta -o b a.orig 2>/dev/null || fail "stamp -o"
cmp a b || fail "stamp -o and in place differ"
cp "$prog" c && "$PKGNOTE" stamp $meta -o c2 c 2>/dev/null && cmp -s c "$prog" || fail "-o touched its input"
before=$(stat -c %Y:%i a)
"$PKGNOTE" stamp $meta a 2>err || fail "second stamp"
grep -q "unchanged: 1" err || fail "second stamp wrote: $(cat err)"
[ "$(stat -c %Y:%i a)" = "$before" ] || fail "second stamp replaced the file"

# --if-unstamped leaves a noted file alone; other values replace the note.
cp a d
"$PKGNOTE" stamp --if-unstamped --name other d 2>err && cmp -s a d && grep -q "left alone: 1" err ||
  fail "--if-unstamped"
"$PKGNOTE" stamp --name other --version 2 d 2>/dev/null || fail "restamp"
[ "$(readelf -n d | grep -c FDO_PACKAGING_METADATA)" = 1 ] || fail "not exactly one note after replacing"
"$PKGNOTE" read --json d | grep -q '"package":{"name":"other","version":"2"}' || fail "replaced note"
"$PKGNOTE" stamp $meta d 2>/dev/null && cmp a d || fail "stamping back does not give the same bytes"

# -r: ELF executables and shared objects only; the rest is skipped without error.
mkdir -p tree/usr/lib/debug tree/bin
cp "$prog" tree/bin/prog && cp "$prog" tree/usr/lib/debug/prog.debug
echo 'int f(void) { return 1; }' > f.c && cc -c -o tree/bin/f.o f.c
echo text > tree/bin/readme && ln -s prog tree/bin/link
cp tree/bin/f.o f.o.orig
"$PKGNOTE" stamp -r $meta tree 2>err || fail "-r: $(cat err)"
grep -qx "pkgnote: files stamped: 1, unchanged: 0, left alone: 0, errors: 0" err || fail "-r summary: $(cat err)"
cmp -s tree/usr/lib/debug/prog.debug "$prog" && cmp -s tree/bin/f.o f.o.orig && [ -L tree/bin/link ] ||
  fail "-r touched what it should skip"

# Named explicitly, what cannot be stamped is an error, the file untouched, the others stamped.
cp "$prog" e
status=0
"$PKGNOTE" stamp $meta f.o.orig tree/bin/readme e 2>err || status=$?
[ $status = 2 ] || fail "exit $status, expected 2"
grep -qx "pkgnote: error: 'f.o.orig': relocatable object (ET_REL): only executables and shared objects are stamped" err ||
  fail "ET_REL message: $(cat err)"
grep -qx "pkgnote: error: 'tree/bin/readme': not an ELF file" err || fail "non-ELF message: $(cat err)"
cmp -s f.o.orig tree/bin/f.o && "$PKGNOTE" read e >/dev/null 2>&1 || fail "refusal touched a file or stopped the rest"
[ -z "$(ls | grep pkgnote-tmp)" ] || fail "temporary files left behind"
echo "stamp-cli: ok"
