#!/bin/sh
# SPDX-License-Identifier: MIT
# The same source package built with Debian's dh-package-notes 0.9 (include package-notes.mk) and
# with pkgnote's addon: each .deb's binaries carry exactly the note its tool documents, and the
# differences are the ones docs/design.md ("Build systems") explains (os from DEB_VENDOR versus
# os-release ID plus osVersion, key order, debugInfoUrl by default).
set -eu
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || exit 77
[ -f /usr/share/debhelper/dh_package_notes/package-notes.mk ] || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_pkgnote "$work/stage"
unset DEBUGINFOD_URLS
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
vendor=$(dpkg-vendor --query Vendor)

build_standin_deb "$work/theirs" 'include /usr/share/debhelper/dh_package_notes/package-notes.mk\n%:\n\tdh $@'
build_standin_deb "$work/ours" '%:\n\tdh $@ --with pkgnote'

case $vendor in Ubuntu) url=https://debuginfod.ubuntu.com ;; *) url=https://debuginfod.debian.net ;; esac
theirs="{\"type\":\"deb\",\"os\":\"$vendor\",\"name\":\"hello-standin\",\"version\":\"1.2-3\",\"architecture\":\"$arch\",\"debugInfoUrl\":\"$url\"}"
ours=$(expected_deb_note)
for f in usr/bin/hello usr/lib/libgreeting.so.1; do
  deb_elf_files "$work/theirs" >/dev/null
  deb_elf_files "$work/ours" >/dev/null
  # pkgnote read must read dh-package-notes' note too (GNU ld writes the padded descsz).
  check_note "$work/theirs/unpacked/$f" "$theirs"
  check_note "$work/ours/unpacked/$f" "$ours"
done
echo "dh-package-notes: $theirs"
echo "pkgnote:          $ours"
