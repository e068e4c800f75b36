#!/bin/sh
# SPDX-License-Identifier: MIT
# The pkgnote addon verifies each arch package's staging tree after dh_strip: the stand-in's
# program and shared library are ok, a binary installed by hand without the flags is named in the
# build log; DEB_PKGNOTE_VERIFY=1 (default) warns, 2 fails the build, 0 runs nothing.
set -eu
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_pkgnote "$work/stage"
# An extra program linked after the build, without dpkg-buildflags' LDFLAGS: unstamped.
unstamped="%:\n\tdh \$@ --with pkgnote\noverride_dh_auto_install:\n\tdh_auto_install\n\tprintf 'int main(void){return 0;}' | gcc -x c - -o debian/hello-standin/usr/bin/hello-unstamped"

# Level 1 (the default): the stamped program and library are ok, the extra one is named, the build
# goes on, and the .deb it writes verifies the same.
build_standin_deb "$work/warn" "$unstamped"
log=$work/warn/build.log
grep -q 'debian/hello-standin: /usr/bin/hello-unstamped: unstamped' "$log" || fail "level 1 did not name hello-unstamped"
grep -q 'debian/hello-standin: checked 3, ok 2, unstamped 1, mismatch 0' "$log" || fail "the staging tree was not verified: $(grep checked "$log")"
grep -q 'dh_pkgnote_verify: warning' "$log" || fail "level 1 did not warn"
[ "$(grep -E '^ +(dh_strip|dh_pkgnote_verify|dh_builddeb)( |$)' "$log" | awk '{print $1}' | tr '\n' ' ')" = "dh_strip dh_pkgnote_verify dh_builddeb " ] ||
  fail "dh_pkgnote_verify does not run between dh_strip and dh_builddeb"
status=0
"$PKGNOTE" verify "$work/warn"/hello-standin_1.2-3_*.deb > "$work/deb.out" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q 'checked 3, ok 2, unstamped 1' "$work/deb.out" || fail "pkgnote verify of the built .deb: $(cat "$work/deb.out")"

if (export DEB_PKGNOTE_VERIFY=2; build_standin_deb "$work/fail" "$unstamped") 2>/dev/null; then
  fail "DEB_PKGNOTE_VERIFY=2 did not fail the build"
fi
grep -q '/usr/bin/hello-unstamped: unstamped' "$work/fail/build.log" || fail "level 2 did not name hello-unstamped"
[ ! -e "$work/fail"/hello-standin_1.2-3_*.deb ] || fail "level 2 still built the .deb"

(export DEB_PKGNOTE_VERIFY=0; build_standin_deb "$work/off" "$unstamped")
! grep -q 'checked' "$work/off/build.log" || fail "DEB_PKGNOTE_VERIFY=0 still verified"
echo "ok: the debhelper addon verifies at levels 0, 1 and 2"
