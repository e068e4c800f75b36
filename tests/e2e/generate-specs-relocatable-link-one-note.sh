#!/bin/sh
# SPDX-License-Identifier: MIT
# The specs file adds the note to final links only: a relocatable link (gcc -r) with it gets no
# note, so linking that object again with the same specs yields exactly one package note, as
# with Fedora's package-notes specs.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need gcc readelf

set -- --type deb --name hello --version 1
json=$("$PKGNOTE" generate "$@" --format json)
"$PKGNOTE" generate "$@" --format specs -o "$T/note.specs"

gcc -specs="$T/note.specs" -r "$T/main.c" -o "$T/part.o"
if readelf -SW "$T/part.o" | grep -q '\.note\.package'; then
  fail "the relocatable link got a .note.package section"
fi
gcc -specs="$T/note.specs" "$T/part.o" -o "$T/prog"
count=$(readelf -nW "$T/prog" | grep -c 'FDO_PACKAGING_METADATA' || true)
[ "$count" = 1 ] || fail "final link has $count package notes, expected 1"
decoded_by_readelf "$T/prog" "$json"
echo "ok: -r link has no note, final link exactly one"
