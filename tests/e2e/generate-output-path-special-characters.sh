#!/bin/sh
# SPDX-License-Identifier: MIT
# An --output path with a comma, spaces, '$' and quotes is written exactly there (no
# temporary file left beside it), and the toolchain takes it intact when passed as its own argument:
# -Xlinker -dT -Xlinker PATH for the linker script (-Wl,-dT,PATH would split at the comma) and
# -specs=PATH for the specs file. ('%' in the path: generate-output-path-percent.sh.)
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need gcc

dir="$T/out, dir \$HOME \$(x) 'q' \"d\""
mkdir "$dir"
set -- --type deb --name hello --version 1
json=$("$PKGNOTE" generate "$@" --format json)

"$PKGNOTE" generate "$@" -o "$dir/note, 1.ld"
"$PKGNOTE" generate "$@" --format specs -o "$dir/note \$x.specs"
[ "$(ls -A "$dir" | wc -l)" = 2 ] || fail "unexpected files beside the outputs: $(ls -A "$dir")"
[ -f "$dir/note, 1.ld" ] && [ -f "$dir/note \$x.specs" ] || fail "outputs not at the given paths"

gcc "$T/main.c" -Xlinker -dT -Xlinker "$dir/note, 1.ld" -o "$T/script"
[ "$(payload_of objcopy "$T/script")" = "$json" ] || fail "linker script at a special path: payload"
gcc -specs="$dir/note \$x.specs" "$T/main.c" -o "$T/specs"
[ "$(payload_of objcopy "$T/specs")" = "$json" ] || fail "specs at a special path: payload"
echo "ok: special output paths written and used intact"
