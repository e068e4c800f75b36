#!/bin/sh
# SPDX-License-Identifier: MIT
# An --output path with '%' in the directory and the file name (as in a path made from an RPM
# macro or a make pattern) is written exactly there, and the toolchain takes it intact.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need gcc

dir="$T/out %s %(x) 100%"
mkdir "$dir"
set -- --type deb --name hello --version 1
json=$("$PKGNOTE" generate "$@" --format json)
"$PKGNOTE" generate "$@" -o "$dir/note%%.ld"
"$PKGNOTE" generate "$@" --format specs -o "$dir/note%.specs"
[ "$(ls -A "$dir" | wc -l)" = 2 ] || fail "unexpected files beside the outputs: $(ls -A "$dir")"
gcc "$T/main.c" -Xlinker -dT -Xlinker "$dir/note%%.ld" -o "$T/script"
[ "$(payload_of objcopy "$T/script")" = "$json" ] || fail "linker script at a '%' path: payload"
gcc -specs="$dir/note%.specs" "$T/main.c" -o "$T/specs"
[ "$(payload_of objcopy "$T/specs")" = "$json" ] || fail "specs at a '%' path: payload"
echo "ok: '%' output paths written and used intact"
