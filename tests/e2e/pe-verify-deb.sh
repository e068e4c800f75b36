#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote verify` checks PE files in a .deb (and a directory) as it checks ELF files: a package
# shipping a stamped and an unstamped mingw-w64 DLL, and a DOS-looking file that is not PE, says
# ok for the first, unstamped for the second, passes the third over, and exits 1.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/pe-helpers.sh"
command -v dpkg-deb >/dev/null 2>&1 || fail "dpkg-deb not installed"

build_pair x86_64 "$T/build"
root=$T/pkg
mkdir -p "$root/DEBIAN" "$root/usr/x86_64-w64-mingw32/bin"
cp "$T/build/lib.dll" "$root/usr/x86_64-w64-mingw32/bin/stamped.dll"
cp "$T/build/lib.dll" "$root/usr/x86_64-w64-mingw32/bin/unstamped.dll"
printf 'MZ not a PE file at all\n' >"$root/usr/x86_64-w64-mingw32/bin/readme.com"
"$PKGNOTE" stamp --type deb --name libpe-demo --version 1.0-1 --architecture all \
  "$root/usr/x86_64-w64-mingw32/bin/stamped.dll" 2>/dev/null
cat >"$root/DEBIAN/control" <<'C'
Package: libpe-demo
Version: 1.0-1
Architecture: all
Maintainer: pkgnote tests <tests@example.org>
Description: PE DLLs for pkgnote verify
C
dpkg-deb --root-owner-group -Zxz -b "$root" "$T/libpe-demo.deb" >/dev/null

status=0
"$PKGNOTE" verify "$T/libpe-demo.deb" >"$T/out" 2>&1 || status=$?
[ "$status" = 1 ] || fail "exit $status, expected 1: $(cat "$T/out")"
grep -q "/usr/x86_64-w64-mingw32/bin/unstamped.dll: unstamped" "$T/out" || fail "no unstamped line: $(cat "$T/out")"
grep -q "checked 2, ok 1, unstamped 1, mismatch 0, skipped 0, errors 0" "$T/out" || fail "summary: $(cat "$T/out")"
"$PKGNOTE" verify --json "$T/libpe-demo.deb" >"$T/json" 2>/dev/null || true
grep -q '"path":"/usr/x86_64-w64-mingw32/bin/stamped.dll","verdict":"ok"' "$T/json" || fail "json: $(cat "$T/json")"
echo "ok: .deb: the stamped DLL ok, the unstamped one named, the DOS-looking file passed over"

rm -rf "$root/DEBIAN"
status=0
"$PKGNOTE" verify --type deb --name libpe-demo --version 1.0-1 "$root" >"$T/out" 2>&1 || status=$?
[ "$status" = 1 ] || fail "directory: exit $status: $(cat "$T/out")"
grep -q "checked 2, ok 1, unstamped 1, mismatch 0, skipped 0, errors 0" "$T/out" || fail "directory summary: $(cat "$T/out")"
echo "ok: a directory: the same verdicts"
