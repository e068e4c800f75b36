#!/bin/sh
# SPDX-License-Identifier: MIT
# `rpmbuild -bb --nodeps spec/pkgnote.spec` builds pkgnote's own RPMs here (Debian's rpm), from a
# tarball of the working tree, with %check running the unit tests: the packages hold exactly the
# files the spec promises (tool with man pages and bash completion, MIT licence, rpm macros in %_rpmmacrodir, library with CMake and pkg-config
# files, no debhelper files), the macros subpackage is noarch and requires pkgnote, and, built with
# pkgnote's own macros loaded, the packaged pkgnote carries its own package note.
set -eu
command -v rpmbuild >/dev/null && command -v rpm2cpio >/dev/null && command -v git >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
spec=$PKGNOTE_SOURCE_DIR/spec/pkgnote.spec
version=$(sed -n 's/^Version: *//p' "$spec")
release=$(rpm --define 'dist %{nil}' --eval "$(sed -n 's/^Release: *//p' "$spec")")
arch=$(rpm --eval '%{_arch}')

# The source tarball: every file git tracks or would track, as it is in the working tree now.
mkdir -p "$work/top/SOURCES"
(cd "$PKGNOTE_SOURCE_DIR" && git ls-files -co --exclude-standard | while read -r f; do
  [ -f "$f" ] && printf '%s\n' "$f"; done) > "$work/files"
tar -C "$PKGNOTE_SOURCE_DIR" -czf "$work/top/SOURCES/pkgnote-$version.tar.gz" \
  --transform "s,^,pkgnote-$version/," -T "$work/files"

# The spec's cmake compiles through ccache when it is there (CMake reads the launchers from the
# environment); paths relative to $work, so that the next run of this test hits the cache.
if command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=$work \
    CCACHE_NOHASHDIR=1
fi
pkgnote_rpmbuild -bb --nodeps --define "_topdir $work/top" \
  --define "_smp_mflags -j$(nproc)" --define 'pkgnote_ctest_args -LE e2e' \
  "$spec" > "$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "rpmbuild failed"; }
grep -q 'tests passed' "$work/build.log" || fail "%check did not run the tests"

rpms=$work/top/RPMS
main=$rpms/$arch/pkgnote-$version-$release.$arch.rpm
macros=$rpms/noarch/pkgnote-rpm-macros-$version-$release.noarch.rpm
devel=$rpms/$arch/pkgnote-devel-$version-$release.$arch.rpm
for r in "$main" "$macros" "$devel"; do [ -f "$r" ] || fail "missing $(basename "$r")"; done

# The tool, a man page per man/*.scd (rpm may compress them), the bash completion, the licence.
expected_main=$( (echo /usr/bin/pkgnote /usr/share/bash-completion/completions/pkgnote
  for page in "$PKGNOTE_SOURCE_DIR"/man/*.scd; do page=${page##*/}; echo "/usr/share/man/man1/${page%.scd}"; done) |
  tr ' ' '\n' | sort)
got_main=$(rpm -qpl "$main" | grep -v -e '^/usr/share/doc/' -e '^/usr/lib/\.build-id' -e '^/usr/share/licenses/' |
  sed 's/\.\(gz\|bz2\|xz\|zst\)$//' | sort)
[ "$got_main" = "$expected_main" ] || fail "pkgnote holds: $got_main; expected: $expected_main"
for r in "$main" "$macros" "$devel"; do
  [ "$(rpm -qp --qf '%{LICENSE}' "$r")" = MIT ] || fail "$(basename "$r"): License is $(rpm -qp --qf '%{LICENSE}' "$r")"
done
# %license files, wherever this rpm puts them (%_defaultlicensedir, %_docdir_fmt).
for r in "$main" "$macros" "$devel"; do
  rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$r" | grep -q '^l[^ ]* .*/LICENSE$' ||
    fail "$(basename "$r") lacks %license LICENSE: $(rpm -qpl "$r")"
done
[ "$(rpm -qpl "$macros" | grep -v -e '^/usr/share/licenses/' -e '^/usr/share/doc/')" = "$(rpm --eval '%{_rpmmacrodir}')/macros.pkgnote" ] || fail "rpm-macros: $(rpm -qpl "$macros")"
rpm -qp --requires "$macros" | grep -q "^pkgnote = $version-$release\$" || fail "rpm-macros does not require pkgnote"
for f in /usr/include/pkgnote/metadata.h /usr/lib64/libpkgnote.a /usr/lib64/cmake/pkgnote/pkgnoteConfig.cmake \
         /usr/lib64/cmake/pkgnote/pkgnoteTargets.cmake /usr/lib64/pkgconfig/pkgnote.pc; do
  f=$(echo "$f" | sed "s,/usr/lib64,$(rpm --eval '%{_libdir}'),")
  rpm -qpl "$devel" | grep -qx "$f" || fail "pkgnote-devel lacks $f"
done
if rpm -qpl "$main" "$macros" "$devel" | grep -q 'dh_pkgnote\|debhelper'; then fail "debhelper files in the RPMs"; fi

unpack_rpm "$main" "$work/root"
unpack_rpm "$macros" "$work/root"
cmp "$work/root$(rpm --eval '%{_rpmmacrodir}')/macros.pkgnote" "$PKGNOTE_SOURCE_DIR/rpm-macros/macros.pkgnote" || fail "macros.pkgnote differs"
check_note "$work/root/usr/bin/pkgnote" \
  "{\"type\":\"rpm\",\"name\":\"pkgnote\",\"version\":\"$version-$release\",\"architecture\":\"$arch\"$(expected_os_members)}"
"$work/root/usr/bin/pkgnote" --version | grep -q "$version" || fail "the packaged pkgnote does not run"
# The rpms, for e2e.packaging-rpmlint (which runs after this test: FIXTURES_SETUP pkgnote-rpms).
build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
rm -rf "$build/packaging-rpms" && mkdir -p "$build/packaging-rpms"
cp "$main" "$macros" "$devel" "$build/packaging-rpms/"
echo "ok: pkgnote, pkgnote-rpm-macros and pkgnote-devel $version-$release built; pkgnote is stamped"
