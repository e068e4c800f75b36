#!/bin/sh
# SPDX-License-Identifier: MIT
# -DPKGNOTE_STATIC=ON stays what it is for: one fully static pkgnote (no PT_INTERP, no NEEDED) that
# still reads every compressed input (gzip, xz, zstd, lz4) and verifies a .deb, with libarchive and
# the compressors linked in rather than loaded. Built (the tool only, without tests) in
# BUILD/static-build, through ccache when it is there; the build ids it prints are readelf's.
set -eu
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
for tool in cmake gzip xz zstd lz4 dpkg-deb; do
  command -v "$tool" >/dev/null || fail "no $tool (scripts/install-deps test installs it)"
done
build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
static=$build/static-build
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

launcher=
if command -v ccache >/dev/null; then
  launcher="-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
fi
# shellcheck disable=SC2086
cmake -S "$PKGNOTE_SOURCE_DIR" -B "$static" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPKGNOTE_STATIC=ON \
  -DPKGNOTE_BUILD_TESTS=OFF -DPKGNOTE_MAN_PAGES=OFF $launcher >"$T/configure.log" 2>&1 ||
  { cat "$T/configure.log" >&2; fail "configure -DPKGNOTE_STATIC=ON failed"; }
cmake --build "$static" --target pkgnote -j "$(nproc)" >"$T/build.log" 2>&1 ||
  { tail -n 30 "$T/build.log" >&2; fail "the static build failed"; }
tool=$static/tools/pkgnote

if readelf -lW "$tool" | grep -q INTERP; then fail "the static pkgnote has a PT_INTERP"; fi
if readelf -d "$tool" | grep -q NEEDED; then fail "the static pkgnote needs $(readelf -d "$tool" | grep NEEDED)"; fi

cp /usr/bin/true "$T/plain"
id=$(readelf -n "$T/plain" | sed -n 's/.*Build ID: //p')
gzip -c "$T/plain" >"$T/plain.gz"
xz -c "$T/plain" >"$T/plain.xz"
zstd -q -c "$T/plain" >"$T/plain.zst"
lz4 -q -c "$T/plain" >"$T/plain.lz4"
for f in plain.gz plain.xz plain.zst plain.lz4; do
  "$tool" read --json "$T/$f" >"$T/out" 2>"$T/err" || [ $? = 1 ] || fail "$f: $(cat "$T/err")"
  grep -q "\"buildId\":\"$id\"" "$T/out" || fail "$f: build id $id not read: $(cat "$T/out" "$T/err")"
done

# A .deb with data.tar.xz and one with data.tar.zst: the unstamped file is found in each.
mkdir -p "$T/root/DEBIAN" "$T/root/usr/bin"
cp /usr/bin/true "$T/root/usr/bin/standin"
printf 'Package: standin\nVersion: 1.0-1\nArchitecture: %s\nMaintainer: Tests <tests@example.org>\nDescription: stand-in\n' \
  "$(dpkg --print-architecture)" >"$T/root/DEBIAN/control"
for z in xz zstd; do
  dpkg-deb --root-owner-group -Z"$z" -b "$T/root" "$T/standin-$z.deb" >/dev/null
  status=0
  "$tool" verify --json "$T/standin-$z.deb" >"$T/verify.json" 2>"$T/err" || status=$?
  [ "$status" = 1 ] || fail "verify standin-$z.deb: exit $status, expected 1 (unstamped): $(cat "$T/err")"
  grep -q '"path":"/usr/bin/standin","verdict":"unstamped"' "$T/verify.json" ||
    fail "verify standin-$z.deb: $(cat "$T/verify.json")"
done
echo "ok: static pkgnote reads gzip, xz, zstd and lz4 inputs and verifies xz and zstd .debs"
