#!/bin/sh
# SPDX-License-Identifier: MIT
# The linker script's note lands in a PT_NOTE segment (so it is loaded and dumped into cores) on
# every target, and the real readers decode it: readelf -n, and systemd-analyze inspect-elf (the
# reader systemd-coredump uses) for the native binary.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need readelf

set -- --type deb --name hello --version 1.2-3 --architecture amd64 --os debian --os-version 12
json=$("$PKGNOTE" generate "$@" --format json)
"$PKGNOTE" generate "$@" -o "$T/note.ld"

echo "$TARGETS" | while IFS=: read -r arch cc objcopy endian; do
  need "$cc"
  "$cc" "$T/main.c" -Wl,-dT,"$T/note.ld" -o "$T/prog.$arch"
  in_pt_note "$T/prog.$arch" || fail "$arch: .note.package is not in a PT_NOTE segment"
  decoded_by_readelf "$T/prog.$arch" "$json"
  echo "ok: $arch: PT_NOTE, readelf -n"
done

if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze inspect-elf "$T/prog.x86_64" >"$T/inspect.txt" 2>&1 ||
    fail "systemd-analyze inspect-elf failed: $(cat "$T/inspect.txt")"
  for line in 'type: deb' 'name: hello' 'version: 1.2-3' 'architecture: amd64' 'os: debian' \
    'osVersion: 12'; do
    grep -qE "^ *$line\$" "$T/inspect.txt" || fail "systemd-analyze inspect-elf lacks '$line'"
  done
  echo "ok: systemd-analyze inspect-elf"
fi
