#!/bin/sh
# SPDX-License-Identifier: MIT
# The installed library is usable from outside: after `cmake --install`, a separate project finds
# it with find_package(pkgnote) (pkgnote::pkgnote pulls in LLVM and nlohmann_json by itself), and a
# plain c++ command line links it with `pkg-config --static --cflags --libs pkgnote`; both programs run and
# print the payload libpkgnote builds.
set -eu
command -v cmake >/dev/null && command -v pkg-config >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
[ -f "$build/CMakeCache.txt" ] || exit 77
files=$PKGNOTE_SOURCE_DIR/tests/e2e/cmake-package-files
expected='{"type":"rpm","name":"consumer","version":"1,2"}'

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$files" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; fail "find_package(pkgnote) failed"; }
cmake --build "$work/consumer" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; fail "build failed"; }
[ "$("$work/consumer/consumer")" = "$expected" ] || fail "cmake consumer printed $("$work/consumer/consumer")"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null)/pkgconfig"
pkg-config --modversion pkgnote | grep -qx '0\.1\.0' || fail "pkg-config does not find pkgnote.pc"
# shellcheck disable=SC2046
c++ -std=c++17 -o "$work/pc-consumer" "$files/consumer.cpp" $(pkg-config --static --cflags --libs pkgnote) ||
  fail "linking with pkg-config --static --libs pkgnote failed"
[ "$("$work/pc-consumer")" = "$expected" ] || fail "pkg-config consumer printed $("$work/pc-consumer")"
echo "ok: find_package(pkgnote) and pkgnote.pc both link and run"
