#!/bin/sh
# SPDX-License-Identifier: MIT
# A gcore of qemu-aarch64-static running a stamped static aarch64 guest: the x86-64 core's
# NT_FILE lists the guest's file, whose image is read with its own class and byte order (AARCH64)
# from the core's memory; the text output says the process emulated a foreign guest; and
# `systemd-analyze inspect-elf` reads the same guest package from the core.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need aarch64-linux-gnu-gcc qemu-aarch64-static gdb

json='{"type":"deb","name":"sleeper","version":"4.0","architecture":"arm64"}'
printf '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n' >"$T/sleeper.c"
aarch64-linux-gnu-gcc -static "$T/sleeper.c" -o "$T/sleeper" -Xlinker "--package-metadata=$json"
core=$(gcore_of qemu-aarch64-static "$T/sleeper")
qemu=$(readlink -f "$(command -v qemu-aarch64-static)")

"$PKGNOTE" read --json "$core" >"$T/out.json" || fail "exit $?"
grep -q '"elfType":"core","elfArchitecture":"AMD x86-64"' "$T/out.json" || fail "core identity"
[ "$(module_field "$T/out.json" "$T/sleeper" package)" = "$json" ] || fail "guest package"
[ "$(module_field "$T/out.json" "$T/sleeper" elfArchitecture)" = AARCH64 ] || fail "guest class"
[ "$(module_field "$T/out.json" "$T/sleeper" source)" = core ] || fail "guest source"
[ "$(module_field "$T/out.json" "$qemu" elfArchitecture)" = "AMD x86-64" ] || fail "qemu module"
echo "ok: json"

"$PKGNOTE" read "$core" >"$T/out.txt"
sed -n 4p "$T/out.txt" | grep -qx "executable: *$qemu" || fail "executable line"
sed -n 5p "$T/out.txt" | grep -qx "emulatedArchitecture: AARCH64" ||
  fail "emulatedArchitecture line: $(cat "$T/out.txt")"
grep -q '"emulatedArchitecture":"AARCH64"' "$T/out.json" || fail "the JSON lacks what the text shows"
echo "ok: text"

if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze inspect-elf --json=short "$core" 2>/dev/null | grep -qF "\"$T/sleeper\":{" ||
    { echo "note: systemd-analyze did not list the guest" >&2; exit 0; }
  systemd-analyze inspect-elf --json=short "$core" | grep -qF '"name":"sleeper","version":"4.0"' ||
    fail "systemd-analyze reads another package"
  echo "ok: systemd-analyze inspect-elf agrees"
fi
