#!/bin/sh
# SPDX-License-Identifier: MIT
# The pkgnote addon verifies each arch package's staging tree after dh_strip: the stand-in (a
# program and a shared library) is all ok; with a binary installed by hand without the flags, the
# build log names it and DEB_PKGNOTE_VERIFY=1 (default) warns, 2 fails the build, 0 runs nothing.
set -eu
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_pkgnote "$work/stage"
stamped='%:\n\tdh $@ --with pkgnote'
# An extra program linked after the build, without dpkg-buildflags' LDFLAGS: unstamped.
unstamped="$stamped\noverride_dh_auto_install:\n\tdh_auto_install\n\tprintf 'int main(void){return 0;}' | gcc -x c - -o debian/hello-standin/usr/bin/hello-unstamped"

build_standin_deb "$work/ok" "$stamped"
grep -q 'dh_pkgnote_verify' "$work/ok/build.log" || fail "dh did not run dh_pkgnote_verify"
grep -q 'debian/hello-standin: checked 2, ok 2, unstamped 0, mismatch 0' "$work/ok/build.log" || fail "the staging tree was not verified all ok"
[ "$(grep -E '^ +(dh_strip|dh_pkgnote_verify|dh_builddeb)( |$)' "$work/ok/build.log" | awk '{print $1}' | tr '\n' ' ')" = "dh_strip dh_pkgnote_verify dh_builddeb " ] ||
  fail "dh_pkgnote_verify does not run between dh_strip and dh_builddeb"
"$PKGNOTE" verify "$work/ok"/hello-standin_1.2-3_*.deb >/dev/null || fail "pkgnote verify of the built .deb"

build_standin_deb "$work/warn" "$unstamped"
grep -q 'debian/hello-standin: /usr/bin/hello-unstamped: unstamped' "$work/warn/build.log" || fail "level 1 did not name hello-unstamped"
grep -q 'warning' "$work/warn/build.log" || fail "level 1 did not warn"

if (export DEB_PKGNOTE_VERIFY=2; build_standin_deb "$work/fail" "$unstamped") 2>/dev/null; then
  fail "DEB_PKGNOTE_VERIFY=2 did not fail the build"
fi
grep -q '/usr/bin/hello-unstamped: unstamped' "$work/fail/build.log" || fail "level 2 did not name hello-unstamped"
[ ! -e "$work/fail"/hello-standin_1.2-3_*.deb ] || fail "level 2 still built the .deb"

(export DEB_PKGNOTE_VERIFY=0; build_standin_deb "$work/off" "$unstamped")
! grep -q 'checked' "$work/off/build.log" || fail "DEB_PKGNOTE_VERIFY=0 still verified"
echo "ok: the debhelper addon verifies at levels 0, 1 and 2"
