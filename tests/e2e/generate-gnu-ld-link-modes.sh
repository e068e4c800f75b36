#!/bin/sh
# SPDX-License-Identifier: MIT
# With GNU ld (bfd) and the default linker-script (-Wl,-dT,FILE), gcc and clang links in every
# mode (PIE, non-PIE, -static, -shared, no --build-id) carry the note, in a PT_NOTE segment, with
# the payload of --format json, and the programs still run.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need gcc clang ld.bfd

json=$("$PKGNOTE" generate --type deb --name hello --version 1 --format json)
"$PKGNOTE" generate --type deb --name hello --version 1 -o "$T/note.ld"

for cc in gcc clang; do
  echo "$MODES" | while IFS=: read -r mode flags; do
    link_mode "$cc" "$flags" "$T/$cc.$mode" -fuse-ld=bfd -Wl,-dT,"$T/note.ld"
    [ "$(payload_of objcopy "$T/$cc.$mode")" = "$json" ] || fail "$cc $mode: payload differs"
    in_pt_note "$T/$cc.$mode" || fail "$cc $mode: .note.package is not in a PT_NOTE segment"
    decoded_by_readelf "$T/$cc.$mode" "$json"
    echo "ok: $cc, GNU ld, $mode"
  done
done
