#!/bin/sh
# SPDX-License-Identifier: MIT
# The other two ways in: `dh $@ --with pkgnote` with clang and lld (DEB_PKGNOTE_LINKER=lld, where
# gcc specs cannot work), and `include pkgnote.mk` in a debian/rules without the addon. Both
# stamp the program and the library in the .deb with exactly the same note as the
# dh-sequence-pkgnote build.
set -eu
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || exit 77
command -v clang-14 >/dev/null && command -v ld.lld >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_pkgnote "$work/stage"

build_standin_deb "$work/with-lld" 'export CC = clang-14\n# dwz 0.15 cannot read the DWARF 5 clang 14 writes by default\nexport DEB_CFLAGS_MAINT_APPEND = -gdwarf-4\nexport DEB_LDFLAGS_MAINT_APPEND = -fuse-ld=lld\nexport DEB_PKGNOTE_LINKER = lld\n%:\n\tdh $@ --with pkgnote'
build_standin_deb "$work/mk" "include $PKGNOTE_STAGE/usr/share/pkgnote/pkgnote.mk\n%:\n\tdh \$@"

for variant in with-lld mk; do
  check_standin_debs "$work/$variant"
done
# dh_strip drops .comment (where lld signs), so the build log shows which linker ran.
[ "$(grep -c '^clang-14 .*-fuse-ld=lld .*-Wl,.*/debian/.debhelper/pkgnote/package-note\.o ' "$work/with-lld/build.log")" = 2 ] ||
  fail "with-lld: the two links did not use lld with the note object"
echo "ok: --with pkgnote (clang, lld) and pkgnote.mk stamp with $expected"
