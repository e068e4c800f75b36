#!/bin/sh
# SPDX-License-Identifier: MIT
# The real dpkg-buildpackage builds a native source package whose debian/control build-depends on
# dh-sequence-pkgnote and whose debian/rules is a bare `dh $@`: the program and the shared library
# in the .deb (linked from a subdirectory) carry exactly {type deb, source name, changelog version,
# DEB_HOST_ARCH, the build root's OS}, and `debian/rules clean` leaves no note file behind.
set -eu
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_pkgnote "$work/stage"

build_standin_deb "$work/deb" '%:\n\tdh $@' ', dh-sequence-pkgnote'
grep -q 'dh_pkgnote' "$work/deb/build.log" || fail "dh did not run dh_pkgnote"
check_standin_debs "$work/deb"
LD_LIBRARY_PATH=$work/deb/unpacked/usr/lib "$work/deb/unpacked/usr/bin/hello" | grep -q 'stamped build' || fail "hello does not run"

(cd "$work/deb/hello-standin-1.2" && fakeroot debian/rules clean >/dev/null 2>&1)
[ ! -e "$work/deb/hello-standin-1.2/debian/.debhelper/pkgnote" ] || fail "debian/rules clean left the note behind"
echo "ok: $count ELF files carry $expected"
