#!/bin/sh
# SPDX-License-Identifier: MIT
# On x86_64, aarch64, armhf and s390x, a program linked with the generated linker script
# (-Wl,-dT,FILE) carries the same note as one linked with GNU ld's own --package-metadata: owner,
# type and padded payload byte for byte, descsz = len+1; and the section equals `--format note`
# in the target's byte order.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"

set -- --type deb --name hello --version 1.2-3 --architecture any --os debian --os-version 12
"$PKGNOTE" generate "$@" --format json -o "$T/payload.json"
json=$(cat "$T/payload.json")
"$PKGNOTE" generate "$@" -o "$T/note.ld"

echo "$TARGETS" | while IFS=: read -r arch cc objcopy endian; do
  need "$cc" "$objcopy"
  "$cc" "$T/main.c" -Wl,-dT,"$T/note.ld" -o "$T/ours.$arch" || fail "$arch: link with script"
  "$cc" "$T/main.c" -Xlinker "--package-metadata=$json" -o "$T/ref.$arch" || fail "$arch: ld"
  compare_with_gnu_ld "$objcopy" "$endian" "$T/ours.$arch" "$T/ref.$arch" "$json"
  "$PKGNOTE" generate "$@" --format note --endian "$endian" -o "$T/note.$arch"
  "$objcopy" -O binary --only-section=.note.package "$T/ours.$arch" "$T/section.$arch"
  cmp "$T/note.$arch" "$T/section.$arch" || fail "$arch: section differs from --format note"
  echo "ok: $arch"
done
