#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-aarch64-static running stamped aarch64 programs: `ps --json` lists the guest's program
# (static; and dynamic, with its interpreter and libc from the aarch64 sysroot) as guest modules
# of architecture AARCH64 with the program's package, beside the emulator itself (not a guest).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/ps-helpers.sh"
need aarch64-linux-gnu-gcc qemu-aarch64-static

sysroot=/usr/aarch64-linux-gnu
json='{"type":"deb","name":"guestprog","version":"5.1","architecture":"arm64"}'
printf '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n' >"$T/guest.c"
aarch64-linux-gnu-gcc -static "$T/guest.c" -o "$T/guest-static" -Xlinker "--package-metadata=$json"
aarch64-linux-gnu-gcc "$T/guest.c" -o "$T/guest-dynamic" -Xlinker "--package-metadata=$json"
emulator=$(command -v qemu-aarch64-static)

start_bg qemu-aarch64-static "$T/guest-static"
static=$PID
start_bg qemu-aarch64-static -L "$sysroot" "$T/guest-dynamic"
dynamic=$PID
wait_maps "$static" guest-static
wait_maps "$dynamic" libc.so
"$PKGNOTE" ps --json "$static" "$dynamic" >"$T/ps.json" || fail "ps: exit $?"

for pid in "$static" "$dynamic"; do
  prog=$T/guest-static
  [ "$pid" = "$static" ] || prog=$T/guest-dynamic
  [ "$(ps_module "$T/ps.json" "$pid" "$prog" package)" = "$json" ] ||
    fail "guest program's package: $(cat "$T/ps.json")"
  [ "$(ps_module "$T/ps.json" "$pid" "$prog" guest)" = true ] || fail "guest flag"
  [ "$(ps_module "$T/ps.json" "$pid" "$prog" elfArchitecture)" = AARCH64 ] || fail "guest machine"
  [ "$(ps_module "$T/ps.json" "$pid" "$emulator" guest)" = absent ] || fail "emulator a guest"
  [ "$(ps_module "$T/ps.json" "$pid" "$emulator" elfArchitecture)" = "AMD x86-64" ] ||
    fail "emulator's machine"
  [ "$(ps_field "$T/ps.json" "$pid" exe)" = "$emulator" ] || fail "exe"
done
echo "ok: the guest program is a guest module with its package"

interp=$(readlink -f "$sysroot/lib/ld-linux-aarch64.so.1")
for module in "$sysroot/lib/ld-linux-aarch64.so.1" "$sysroot/lib/libc.so.6"; do
  found=$(ps_module "$T/ps.json" "$dynamic" "$module" guest)
  [ "$found" = no-module ] && found=$(ps_module "$T/ps.json" "$dynamic" "$(readlink -f "$module")" guest)
  [ "$found" = true ] || fail "$module: not a guest module ($found): $(cat "$T/ps.json")"
done
echo "ok: the dynamic guest's interpreter and libc are guest modules ($interp)"
