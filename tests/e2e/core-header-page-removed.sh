#!/bin/sh
# SPDX-License-Identifier: MIT
# A core whose module header page is missing, made from a real core by dropping the bytes of a
# PT_LOAD (as a kernel with 64 KiB pages or another coredump_filter leaves them out):
# - the text mapping's page gone, the data mapping of the same file at file offset 0 still holds
#   the header and notes: pkgnote reads them there (build-id and package), agreeing with elfutils;
# - both gone and the file not under --root: the module is still listed by its NT_FILE path,
#   without build-id or package, rather than dropped.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb eu-unstrip eu-readelf

pie=$(small_pie lonely)
core=$(core_of "$pie")
package='{"type":"deb","name":"lonely","version":"1.0"}'
id=$(readelf -n "$pie" | sed -n 's/^ *Build ID: //p')
# NT_FILE lines: START-END OFFSET SIZE PATH; the mappings of the program at file offset 0.
eu-readelf -n "$core" | awk -v p="$pie" '$NF == p && $2 == "00000000" { split($1, r, "-"); print "0x" r[1] }' >"$T/starts"
[ "$(wc -l <"$T/starts")" = 2 ] || fail "expected two mappings at file offset 0"
text=$(sed -n 1p "$T/starts")
data=$(sed -n 2p "$T/starts")
edit="$PKGNOTE_SOURCE_DIR/tests/e2e/core-edit.py"

python3 "$edit" drop-load "$core" "$text"
same_modules_as_elfutils "$core"
[ "$(module_field "$T/parity.json" "$pie" buildId)" = "$id" ] || fail "build-id from the data mapping"
[ "$(module_field "$T/parity.json" "$pie" package)" = "$package" ] || fail "package from the data mapping"
[ "$(module_field "$T/parity.json" "$pie" source)" = core ] || fail "source"
echo "ok: header page at $text dropped, read at $data"

python3 "$edit" drop-load "$core" "$(python3 "$edit" load-at "$core" "$data")"
mkdir "$T/empty"
"$PKGNOTE" read --json --root "$T/empty" "$core" >"$T/out.json" || [ $? = 1 ] || fail "read"
[ "$(module_field "$T/out.json" "$pie" buildId)" = absent ] || fail "no build-id expected"
[ "$(module_field "$T/out.json" "$pie" package)" = absent ] || fail "no package expected"
[ "$(grep -o "\"path\":\"$pie\"" "$T/out.json" | wc -l)" = 1 ] || fail "$pie not listed once"
echo "ok: header nowhere, $pie listed by path"
