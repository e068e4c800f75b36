#!/bin/sh
# SPDX-License-Identifier: MIT
# `cpack -G DEB` in the build tree writes pkgnote's .debs: pkgnote (run-time dependencies from
# dpkg-shlibdeps, man pages, bash completion), dh-pkgnote (Provides: dh-sequence-pkgnote),
# pkgnote-rpm-macros and libpkgnote-dev, each with a DEP-5 copyright file. With pkgnote and
# dh-pkgnote installed by `dpkg -i`, dpkg-buildpackage, its build-dependency check on (no -d),
# builds a package whose debian/control says `Build-Depends: debhelper-compat (= 13),
# dh-sequence-pkgnote` and whose debian/rules is a plain `dh $@`: its ELF files carry the note.
# Before the install the same build is refused for the missing dh-sequence-pkgnote. The installed
# packages are removed on exit (ctest runs this test alone: RUN_SERIAL). Needs root for dpkg.
set -eu
for tool in cpack dpkg-buildpackage dh dpkg-shlibdeps fakeroot; do
  command -v "$tool" >/dev/null || { echo "skipped: no $tool"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "skipped: dpkg -i needs root"; exit 77; }
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
for p in pkgnote dh-pkgnote pkgnote-rpm-macros libpkgnote-dev; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    echo "skipped: $p is installed on this machine, and this test would remove it"
    exit 77
  fi
done
build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
[ -f "$build/CPackConfig.cmake" ] || { echo "skipped: no CPackConfig.cmake in $build"; exit 77; }
work=$(mktemp -d)
cleanup() {
  dpkg --purge dh-pkgnote pkgnote >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

(cd "$build" && cpack -G DEB -B "$work/debs" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
version=$(sed -n 's/^project(pkgnote VERSION \([0-9.]*\).*/\1/p' "$PKGNOTE_SOURCE_DIR/CMakeLists.txt")-1
arch=$(dpkg --print-architecture)
deb() { echo "$work/debs/$1_${version}_$2.deb"; }
for d in "$(deb pkgnote "$arch")" "$(deb dh-pkgnote all)" "$(deb pkgnote-rpm-macros all)" "$(deb libpkgnote-dev "$arch")"; do
  [ -f "$d" ] || fail "missing $(basename "$d"); cpack wrote: $(ls "$work/debs")"
  name=$(dpkg-deb -f "$d" Package)
  dpkg-deb -x "$d" "$work/tree-$name"
  copyright=$work/tree-$name/usr/share/doc/$name/copyright
  [ -f "$copyright" ] || fail "$name: no /usr/share/doc/$name/copyright"
  head -n1 "$copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' || fail "$name: copyright is not DEP-5"
  grep -qx 'License: MIT' "$copyright" || fail "$name: copyright names no MIT licence"
  echo "$name: Depends: $(dpkg-deb -f "$d" Depends)"
done

tool=$(deb pkgnote "$arch")
dpkg-deb -f "$tool" Depends | grep -q 'libc6 (>=' || fail "pkgnote: Depends not computed by dpkg-shlibdeps: $(dpkg-deb -f "$tool" Depends)"
for f in usr/bin/pkgnote usr/share/bash-completion/completions/pkgnote usr/share/man/man1/pkgnote.1.gz \
         usr/share/man/man1/pkgnote-generate.1.gz usr/share/man/man1/pkgnote-read.1.gz usr/share/man/man1/pkgnote-binfmt.1.gz; do
  [ -f "$work/tree-pkgnote/$f" ] || fail "pkgnote.deb lacks /$f"
done
dh=$(deb dh-pkgnote all)
[ "$(dpkg-deb -f "$dh" Provides)" = dh-sequence-pkgnote ] || fail "dh-pkgnote: Provides: $(dpkg-deb -f "$dh" Provides)"
dpkg-deb -f "$dh" Depends | grep -q "pkgnote (= $version)" || fail "dh-pkgnote does not depend on pkgnote $version"
[ -f "$work/tree-dh-pkgnote/usr/share/perl5/Debian/Debhelper/Sequence/pkgnote.pm" ] || fail "dh-pkgnote lacks the sequence addon"
[ -f "$work/tree-pkgnote-rpm-macros/usr/lib/rpm/macros.d/macros.pkgnote" ] || fail "pkgnote-rpm-macros lacks macros.pkgnote"
[ -f "$work/tree-libpkgnote-dev/usr/include/pkgnote/metadata.h" ] || fail "libpkgnote-dev lacks the headers"

# The build-dependency check is on: without the packages, dh-sequence-pkgnote is unmet.
if (build_standin_deb "$work/refused" '%:\n\tdh $@' ', dh-sequence-pkgnote' '') 2>/dev/null; then
  fail "dpkg-buildpackage built without dh-sequence-pkgnote installed"
fi
grep -q 'Unmet build dependencies: dh-sequence-pkgnote' "$work/refused/build.log" || fail "not refused for dh-sequence-pkgnote: $(tail -n 3 "$work/refused/build.log")"

dpkg -i "$tool" "$dh" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i failed"; }
build_standin_deb "$work/deb" '%:\n\tdh $@' ', dh-sequence-pkgnote' ''
grep -q 'dh_pkgnote' "$work/deb/build.log" || fail "dh did not run dh_pkgnote"
check_standin_debs "$work/deb"
if command -v man >/dev/null; then
  man -l "$work/tree-pkgnote/usr/share/man/man1/pkgnote-read.1.gz" 2>/dev/null | grep -q -- '--recursive' || fail "man pkgnote-read does not render"
fi
echo "ok: 4 .debs; installed, a dh-sequence-pkgnote build carries $expected in $count ELF files"
