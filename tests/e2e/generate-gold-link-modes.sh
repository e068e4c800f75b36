#!/bin/sh
# SPDX-License-Identifier: MIT
# gold has no INSERT, so no linker script can add a section to its default layout; it does have
# --package-metadata (gold 1.16), which the ld-flag and specs outputs pass. With them, gcc and
# clang (ld-flag) and gcc (specs) gold links in every mode carry the note in a PT_NOTE segment.
# And the linker-script output is refused by gold with a diagnostic rather than a silent no-note.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need gcc clang ld.gold

set -- --type deb --name hello --version 1
json=$("$PKGNOTE" generate "$@" --format json)
flag=$("$PKGNOTE" generate "$@" --format ld-flag)
"$PKGNOTE" generate "$@" --format specs -o "$T/note.specs"
"$PKGNOTE" generate "$@" --readonly no -o "$T/note.ld"

check() { # check NAME BINARY
  [ "$(payload_of objcopy "$2")" = "$json" ] || fail "$1: payload differs"
  in_pt_note "$2" || fail "$1: .note.package is not in a PT_NOTE segment"
  decoded_by_readelf "$2" "$json"
  echo "ok: $1"
}

echo "$MODES" | while IFS=: read -r mode flags; do
  for cc in gcc clang; do
    eval "link_mode $cc \"\$flags\" \"\$T/$cc.flag.$mode\" -fuse-ld=gold $flag"
    check "$cc, gold, ld-flag, $mode" "$T/$cc.flag.$mode"
  done
  link_mode gcc "$flags" "$T/gcc.specs.$mode" -fuse-ld=gold -specs="$T/note.specs"
  check "gcc, gold, specs, $mode" "$T/gcc.specs.$mode"
done

if gcc -fuse-ld=gold "$T/main.c" -Wl,-T,"$T/note.ld" -o "$T/gold.script" 2>"$T/gold.err"; then
  fail "gold accepted the INSERT AFTER linker script"
fi
grep -q 'syntax error' "$T/gold.err" || fail "gold failed for another reason: $(cat "$T/gold.err")"
echo "ok: gold refuses the linker script (no INSERT support)"
