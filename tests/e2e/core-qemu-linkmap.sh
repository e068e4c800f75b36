#!/bin/sh
# SPDX-License-Identifier: MIT
# A qemu guest core of a crashing *dynamic* aarch64 program whose stamped shared library does the
# crashing: the library is found through the executable's DT_DEBUG -> r_debug -> link_map in the
# core's memory. Its note page is executable and not dumped, so its file is used ("source":"file")
# after its read-only pages agree with the core; a different library at that path under --root is
# refused and its note never reported. libc and the dynamic linker (named by the executable's
# PT_INTERP) are listed, and libc's file is matched under a --root holding the guest's files.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need aarch64-linux-gnu-gcc qemu-aarch64-static
[ -d /usr/aarch64-linux-gnu/lib ] || { echo "skipped: no aarch64 sysroot" >&2; exit 77; }

app='{"type":"deb","name":"dyn","version":"5.0","architecture":"arm64"}'
lib='{"type":"deb","name":"libbar","version":"6.0","architecture":"arm64"}'
printf 'int bar(int *p) { return *p; }\n' >"$T/bar.c"
printf 'int bar(int *p);\nint main(void) { return bar(0); }\n' >"$T/dyn.c"
aarch64-linux-gnu-gcc -shared -fPIC "$T/bar.c" -o "$T/libbar.so" -Xlinker "--package-metadata=$lib"
aarch64-linux-gnu-gcc "$T/dyn.c" -o "$T/dyn" -L"$T" -lbar -Wl,-rpath,"$T" \
  -Xlinker "--package-metadata=$app"
mkdir "$T/cores"
(cd "$T/cores" && ulimit -c unlimited && qemu-aarch64-static -L /usr/aarch64-linux-gnu "$T/dyn") \
  >/dev/null 2>&1 || true
set -- "$T"/cores/qemu_dyn_*.core
[ -f "$1" ] || { echo "skipped: qemu wrote no core (ulimit -c?)" >&2; exit 77; }
core=$1

"$PKGNOTE" read --json "$core" >"$T/out.json" || fail "exit $?"
[ "$(module_field "$T/out.json" "$T/dyn" package)" = "$app" ] || fail "executable package"
[ "$(module_field "$T/out.json" "$T/libbar.so" package)" = "$lib" ] || fail "library package"
[ "$(module_field "$T/out.json" "$T/libbar.so" source)" = file ] || fail "library source"
id=$(readelf -n "$T/libbar.so" | sed -n 's/^ *Build ID: //p')
[ "$(module_field "$T/out.json" "$T/libbar.so" buildId)" = "$id" ] || fail "library build-id"
echo "ok: link_map names the library, its file matches"

# The C library and the dynamic linker are listed too. The dynamic linker's l_name points at the
# executable's PT_INTERP string, in a page qemu does not dump: the name comes from the file.
interp=$(readelf -l "$T/dyn" | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
[ -n "$interp" ] || fail "no PT_INTERP in dyn"
[ "$(module_field "$T/out.json" "$interp" path)" = "$interp" ] || fail "dynamic linker not listed"
libc=$(python3 -c 'import json,sys; print(*[m["path"] for m in json.loads(open(sys.argv[1]).readline())["modules"] if m["path"].endswith("/libc.so.6")])' "$T/out.json")
[ -n "$libc" ] || fail "libc not listed"
# Under a --root holding the guest's files where the guest saw them, libc's file is matched.
mkdir -p "$T/guest$T" "$T/guest$(dirname "$libc")"
cp "$T/dyn" "$T/libbar.so" "$T/guest$T/"
cp /usr/aarch64-linux-gnu/lib/libc.so.6 "$T/guest$libc"
"$PKGNOTE" read --json --root "$T/guest" "$core" >"$T/guest.json" 2>/dev/null || true
id=$(readelf -n /usr/aarch64-linux-gnu/lib/libc.so.6 | sed -n 's/^ *Build ID: //p')
[ "$(module_field "$T/guest.json" "$libc" buildId)" = "$id" ] || fail "libc build-id under --root"
[ "$(module_field "$T/guest.json" "$libc" source)" = file ] || fail "libc source under --root"
echo "ok: libc and $interp listed; libc's file matched under --root"

mkdir -p "$T/root$T"
cp "$T/dyn" "$T/root$T/dyn"
printf 'int bar(int *p) { return p[1] + 5; }\n' >"$T/fake.c"
aarch64-linux-gnu-gcc -shared -fPIC "$T/fake.c" -o "$T/root$T/libbar.so" \
  -Xlinker '--package-metadata={"type":"deb","name":"fake","version":"1","architecture":"arm64"}'
"$PKGNOTE" read --json --root "$T/root" "$core" >"$T/fake.json" || true
[ "$(module_field "$T/fake.json" "$T/libbar.so" package)" = absent ] || fail "fake library's note reported"
"$PKGNOTE" read --root "$T/root" "$core" 2>&1 >/dev/null |
  grep -q "module '$T/libbar.so': '$T/root$T/libbar.so' is not the mapped file (" ||
  fail "fake library: no warning"
echo "ok: a different library under --root is refused"
