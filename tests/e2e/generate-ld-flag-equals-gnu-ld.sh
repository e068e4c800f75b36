#!/bin/sh
# SPDX-License-Identifier: MIT
# The ld-flag output, eval'ed by sh on x86_64, aarch64, armhf and s390x, gives the note GNU ld's
# own --package-metadata gives for the same JSON: it passes the payload to ld intact.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"

set -- --type deb --name hello --version 1.2-3 --architecture any --os debian --os-version 12
json=$("$PKGNOTE" generate "$@" --format json)
flag=$("$PKGNOTE" generate "$@" --format ld-flag)

echo "$TARGETS" | while IFS=: read -r arch cc objcopy endian; do
  need "$cc" "$objcopy"
  eval "\"\$cc\" \"\$T/main.c\" $flag -o \"\$T/ref.$arch\"" || fail "$arch: link with ld-flag"
  # Ours and the reference are the same link here: check the payload against the JSON output,
  # and GNU ld's descsz (2.40 writes the padded length) is not compared.
  [ "$(payload_of "$objcopy" "$T/ref.$arch")" = "$json" ] || fail "$arch: payload differs"
  "$cc" "$T/main.c" -Xlinker "--package-metadata=$json" -o "$T/direct.$arch"
  cmp "$T/ref.$arch" "$T/direct.$arch" || fail "$arch: binary differs from a direct --package-metadata link"
  echo "ok: $arch"
done
