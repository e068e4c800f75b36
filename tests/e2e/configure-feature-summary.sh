#!/bin/sh
# SPDX-License-Identifier: MIT
# The configure step ends with CMake's feature summary: a build without liburing says it is left
# out and what that costs, and the optional parts found (man pages with scdoc) are listed as
# enabled. A fresh tree configured with -DPKGNOTE_IO_URING=OFF, nothing built.
set -eu
command -v cmake >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$PKGNOTE_SOURCE_DIR" -B "$work/build" -DPKGNOTE_IO_URING=OFF -DPKGNOTE_BUILD_TESTS=OFF \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; fail "configure failed"; }
summary=$(sed -n '/^-- The following features have been enabled/,$p' "$work/configure.log")
[ -n "$summary" ] || fail "no feature summary at the end of the configure step"
disabled=$(printf '%s\n' "$summary" | sed -n '/^-- The following features have been disabled/,/^-- /p')
printf '%s\n' "$disabled" | grep -q '^ \* io_uring, .*1\.3x slower' || fail "io_uring not reported as left out with its cost: $disabled"
if command -v scdoc >/dev/null; then
  enabled=$(printf '%s\n' "$summary" | sed -n '/^-- The following features have been enabled/,/^-- /p')
  printf '%s\n' "$enabled" | grep -q '^ \* man-pages, ' || fail "man pages not reported as enabled: $enabled"
fi
echo "ok: the summary reports io_uring left out (about 1.3x slower) and what was found"
