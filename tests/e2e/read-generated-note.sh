#!/bin/sh
# SPDX-License-Identifier: MIT
# Notes written by `pkgnote generate` (descsz without padding, the gABI way) and by GNU ld's
# --package-metadata (descsz with padding) read back the same, little and big endian.
set -eu
: "${PKGNOTE:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-read.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 'int main(void) { return 0; }\n' >"$T/main.c"
# 41 bytes of JSON: the payload and its NUL (0x2a) need two bytes of padding (0x2c).
json='{"type":"deb","name":"x","version":"1.2"}'
[ ${#json} = 41 ] || fail "test payload length ${#json}"
checked=0
for cc in gcc s390x-linux-gnu-gcc; do
  command -v "$cc" >/dev/null || continue
  checked=$((checked + 1))
  "$PKGNOTE" generate --type deb --name x --version 1.2 -o "$T/note.ld"
  "$cc" -o "$T/generated" "$T/main.c" -Wl,-dT,"$T/note.ld"
  "$cc" -o "$T/gnu-ld" "$T/main.c" -Xlinker "--package-metadata=$json"
  readelf -n "$T/generated" | grep -q 'FDO  *0x0000002a' || fail "$cc: generated descsz is not 0x2a"
  readelf -n "$T/gnu-ld" | grep -q 'FDO  *0x0000002c' || fail "$cc: GNU ld descsz is not 0x2c"
  for f in generated gnu-ld; do
    out=$("$PKGNOTE" read --json "$T/$f") || fail "$cc $f: status $?"
    case $out in
      *"\"package\":$json}") ;;
      *) fail "$cc $f: $out" ;;
    esac
  done
done
[ "$checked" -gt 0 ] || { echo "skipped: no compiler" >&2; exit 77; }
echo ok
