#!/bin/sh
# SPDX-License-Identifier: MIT
# mold before 1.11 puts .note.gnu.property (8-aligned) and 4-aligned notes into one PT_NOTE with
# p_align 8; pkgnote read still finds the package note and the build-id there, as readelf does
# through the sections, and also after the section headers are gone.
set -eu
: "${PKGNOTE:?}"
command -v mold >/dev/null || { echo "skipped: no mold" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-mold.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
printf 'int main(void) { return 0; }\n' >"$T/main.c"
json='{"type":"deb","name":"hello","version":"1.0"}'
gcc -fuse-ld=mold -Wl,--build-id -Xlinker "--package-metadata=$json" -o "$T/hello" "$T/main.c"
# The premise: one PT_NOTE, aligned to 8, holding the 4-aligned package note.
[ "$(readelf -lW "$T/hello" | grep -c ' NOTE ')" = 1 ] || fail "mold wrote more than one PT_NOTE"
readelf -lW "$T/hello" | grep ' NOTE ' | grep -q '0x8$' || fail "PT_NOTE is not 8-aligned"
build_id=$(readelf -n "$T/hello" | sed -n 's/.*Build ID: //p')
objcopy --strip-section-headers "$T/hello" "$T/no-sections" 2>/dev/null ||
  { cp "$T/hello" "$T/no-sections"; printf '\0\0\0\0\0\0\0\0' |
    dd of="$T/no-sections" bs=1 seek=40 conv=notrunc 2>/dev/null; }
for f in hello no-sections; do
  out=$("$PKGNOTE" read --json "$T/$f") || fail "$f: status $?"
  case $out in
    *"\"buildId\":\"$build_id\",\"package\":$json}") ;;
    *) fail "$f: $out (build-id $build_id)" ;;
  esac
done
# The same segment when stamping (issue 24): --if-unstamped leaves the file alone (exit 0,
# byte-identical), and another note replaces mold's: exactly one, the new one, and it still runs.
cp "$T/hello" "$T/stamped"
"$PKGNOTE" stamp --if-unstamped --type deb --name other --version 2 "$T/stamped" ||
  fail "stamp --if-unstamped: status $?"
cmp -s "$T/hello" "$T/stamped" || fail "stamp --if-unstamped changed a file mold stamped"
for version in 2 2.0-1+a.longer.version 1; do
  "$PKGNOTE" stamp --type deb --name other --version "$version" "$T/stamped" ||
    fail "stamp --version $version: status $?"
  [ "$(readelf -nW "$T/stamped" | grep -c FDO_PACKAGING_METADATA)" = 1 ] ||
    fail "version $version: not exactly one package note: $(readelf -nW "$T/stamped")"
  out=$("$PKGNOTE" read --json "$T/stamped") || fail "read after stamp --version $version"
  case $out in
    *"\"buildId\":\"$build_id\",\"package\":{\"type\":\"deb\",\"name\":\"other\",\"version\":\"$version\"}}") ;;
    *) fail "version $version: $out" ;;
  esac
  "$T/stamped" || fail "the stamped program exits $?"
done
echo "ok: mold's mixed-alignment note segment read, honoured by --if-unstamped and replaced"
