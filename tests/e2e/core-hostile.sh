#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile cores made from a real gcore: an NT_FILE count far beyond its note, a PT_NOTE size of
# 1 TiB, a module header in memory claiming 65535 program headers at an absurd offset, and a core
# cut in half. Each is an error for that core (exit 2, one line naming the core and the field) or a
# reported module without a package, never a crash, and peak RSS stays under 64 MiB.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb

printf '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n' >"$T/main.c"
gcc "$T/main.c" -o "$T/app" -Xlinker '--package-metadata={"type":"deb","name":"app"}'
core=$(gcore_of "$T/app")

# patch CORE KIND OUT: writes a damaged copy of CORE (ELF64 little-endian) to OUT.
patch() {
  python3 - "$@" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
kind, out = sys.argv[2], sys.argv[3]
phoff, = struct.unpack_from("<Q", data, 0x20)
phnum, = struct.unpack_from("<H", data, 0x38)
phdrs = [struct.unpack_from("<IIQQQQQQ", data, phoff + 56 * i) for i in range(phnum)]
note = next(i for i, p in enumerate(phdrs) if p[0] == 4)
if kind == "ntfile-count" or kind == "module-phdrs":
    at, end = phdrs[note][2], phdrs[note][2] + phdrs[note][5]
    while at < end:
        namesz, descsz, ntype = struct.unpack_from("<III", data, at)
        desc = at + 12 + ((namesz + 3) & ~3)
        if ntype == 0x46494C45:  # NT_FILE
            if kind == "ntfile-count":
                struct.pack_into("<Q", data, desc, 0xFFFFFFFFFFFF)
            else:
                start, = struct.unpack_from("<Q", data, desc + 16)  # first mapping: the app
                for p in phdrs:
                    if p[0] == 1 and p[3] <= start < p[3] + p[5]:
                        header = p[2] + (start - p[3])
                        struct.pack_into("<Q", data, header + 0x20, 0x7FFFFFFFFFFFFF00)
                        struct.pack_into("<H", data, header + 0x38, 0xFFFE)
            break
        at = desc + ((descsz + 3) & ~3)
elif kind == "note-size":
    struct.pack_into("<Q", data, phoff + 56 * note + 32, 1 << 40)
elif kind == "truncated":
    del data[len(data) // 2:]
open(out, "wb").write(data)
PY
}

run() { # run NAME: pkgnote read on $T/NAME.core, exit status in $status, RSS checked
  status=0
  /usr/bin/time -f '%M' -o "$T/$1.rss" "$PKGNOTE" read "$T/$1.core" >"$T/$1.out" 2>"$T/$1.err" ||
    status=$?
  [ "$status" -le 2 ] || fail "$1: exit $status (crash?): $(cat "$T/$1.err")"
  rss=$(tail -n 1 "$T/$1.rss")
  [ "$rss" -lt 65536 ] || fail "$1: peak RSS $rss KiB"
}
[ -x /usr/bin/time ] || { echo "skipped: /usr/bin/time not installed" >&2; exit 77; }

patch "$core" ntfile-count "$T/count.core"
run count
[ "$status" -eq 2 ] || fail "count: exit $status"
grep -qE "^pkgnote: error: '$T/count.core': NT_FILE: count 0xffffffffffff exceeds the note \(room for 0x[0-9a-f]+\)$" "$T/count.err" ||
  fail "count message: $(cat "$T/count.err")"
echo "ok: NT_FILE count (rss $rss KiB)"

patch "$core" note-size "$T/size.core"
run size
[ "$status" -eq 2 ] || fail "size: exit $status"
grep -q "^pkgnote: error: '$T/size.core': core note segment [0-9]*: size 0x10000000000 is too large$" "$T/size.err" ||
  fail "size message: $(cat "$T/size.err")"
echo "ok: PT_NOTE size (rss $rss KiB)"

patch "$core" module-phdrs "$T/phdrs.core"
run phdrs
[ "$status" -eq 1 ] || fail "phdrs: exit $status"
grep -q "^module: *$T/app$" "$T/phdrs.out" || fail "phdrs: module not listed"
grep -q "warning: '$T/phdrs.core': module '$T/app': " "$T/phdrs.err" || fail "phdrs: no warning"
echo "ok: module program headers (rss $rss KiB)"

patch "$core" truncated "$T/cut.core"
run cut
echo "ok: truncated core, exit $status (rss $rss KiB)"
