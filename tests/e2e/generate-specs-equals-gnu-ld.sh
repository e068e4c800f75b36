#!/bin/sh
# SPDX-License-Identifier: MIT
# With the generated specs file (gcc -specs=FILE) on x86_64, aarch64, armhf and s390x, the final
# link carries exactly the note GNU ld's --package-metadata gives for the same JSON.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"

set -- --type deb --name hello --version 1.2-3 --architecture any --os debian --os-version 12
json=$("$PKGNOTE" generate "$@" --format json)
"$PKGNOTE" generate "$@" --format specs -o "$T/note.specs"

echo "$TARGETS" | while IFS=: read -r arch cc objcopy endian; do
  need "$cc" "$objcopy"
  "$cc" -specs="$T/note.specs" "$T/main.c" -o "$T/specs.$arch" || fail "$arch: link with specs"
  "$cc" "$T/main.c" -Xlinker "--package-metadata=$json" -o "$T/direct.$arch"
  cmp "$T/specs.$arch" "$T/direct.$arch" || fail "$arch: binary differs from a direct --package-metadata link"
  [ "$(payload_of "$objcopy" "$T/specs.$arch")" = "$json" ] || fail "$arch: payload differs"
  echo "ok: $arch"
done
