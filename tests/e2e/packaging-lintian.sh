#!/bin/sh
# SPDX-License-Identifier: MIT
# `cpack -G DEB` in the build tree (no compilation: it installs what the build made) writes the four
# .debs, and lintian, Debian's own checker, finds no error and no warning in them (info and
# pedantic tags are left alone; the one override, initial-upload-closes-no-bugs, carries its reason
# in /usr/share/lintian/overrides/PACKAGE). Beside lintian: pkgnote.pc and libpkgnote.a are in the
# multiarch directory, the man pages are gzipped, each package has changelog.Debian.gz, and the
# packaged pkgnote depends on the libraries it loads with dlopen (which dpkg-shlibdeps cannot see).
set -eu
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
for tool in cpack dpkg-shlibdeps lintian; do
  command -v "$tool" >/dev/null || fail "no $tool (scripts/install-deps test installs it)"
done
build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
[ -f "$build/CPackConfig.cmake" ] || { echo "skipped: no CPackConfig.cmake in $build"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/debs" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack -G DEB failed"; }
set -- "$work"/debs/*.deb
[ $# = 4 ] || fail "cpack wrote $# packages: $*"
# --fail-on error,warning: a warning fails as an error does. The tags are printed either way.
lintian --fail-on error,warning --tag-display-limit 0 "$@" >"$work/lintian.log" 2>&1 || {
  cat "$work/lintian.log" >&2; fail "lintian reports errors or warnings"; }
if grep -E '^[EW]: ' "$work/lintian.log" >&2; then fail "lintian reports errors or warnings"; fi

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for d in "$@"; do
  name=$(dpkg-deb -f "$d" Package)
  dpkg-deb -x "$d" "$work/tree-$name"
  [ -f "$work/tree-$name/usr/share/doc/$name/changelog.Debian.gz" ] || fail "$name: no changelog.Debian.gz"
  # The Maintainer field is a name and an address (lintian checked the address's host).
  dpkg-deb -f "$d" Maintainer | grep -Eq '^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$' || fail "$name: Maintainer: $(dpkg-deb -f "$d" Maintainer)"
  # Description lines within 80 columns (lintian's extended-description-line-too-long says so too).
  if dpkg-deb -f "$d" Description | awk 'length > 80 { bad = 1 } END { exit !bad }'; then
    fail "$name: a Description line is longer than 80 columns"
  fi
done
dev=$work/tree-libpkgnote-dev
[ -f "$dev/usr/lib/$multiarch/pkgconfig/pkgnote.pc" ] || fail "libpkgnote-dev: pkgnote.pc not in /usr/lib/$multiarch/pkgconfig"
[ -f "$dev/usr/lib/$multiarch/libpkgnote.a" ] || fail "libpkgnote-dev: libpkgnote.a not in /usr/lib/$multiarch"
if grep -E '(^|[ =])/(usr/)?lib[^ ]*\.(a|so)\b' "$dev/usr/lib/$multiarch/pkgconfig/pkgnote.pc"; then
  fail "pkgnote.pc names a library by its path on the build machine"
fi
pages=$(ls "$PKGNOTE_SOURCE_DIR"/man/*.scd | wc -l)
[ "$(ls "$work"/tree-pkgnote/usr/share/man/man1/*.1.gz | wc -l)" = "$pages" ] ||
  fail "pkgnote: $(ls "$work"/tree-pkgnote/usr/share/man/man1) for $pages man/*.scd pages"
if find "$work"/tree-* -path '*/man/man*/*' ! -name '*.gz' -type f | grep .; then fail "uncompressed man pages"; fi

# Each package has its own synopsis, and the description's text arrives as written (quotes, one
# leading space a line).
tool_description=$(dpkg-deb -f "$work/debs/pkgnote_"*.deb Description)
[ "$(printf '%s\n' "$tool_description" | head -n 1)" = "stamp ELF binaries with the freedesktop package note" ] ||
  fail "pkgnote: synopsis: $(printf '%s\n' "$tool_description" | head -n 1)"
printf '%s\n' "$tool_description" | grep -qx ' pkgnote writes the freedesktop "Package Metadata for Executable Files" note' ||
  fail "pkgnote: description mangled: $tool_description"
[ "$(for d in "$@"; do dpkg-deb -f "$d" Description | head -n 1; done | sort -u | wc -l)" = 4 ] ||
  fail "the packages share a synopsis"

depends=$(dpkg-deb -f "$work/debs/pkgnote_"*.deb Depends)
for soname in $(strings "$PKGNOTE" | grep -Ex 'lib(archive|lzma|uring|tinfo)\.so\.[0-9]+' | sort -u); do
  library=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64|'"$multiarch"'/ { print $NF; exit }')
  [ -n "$library" ] || library=$(ldconfig -p | awk -v s="$soname" '$1 == s { print $NF; exit }')
  library=$(realpath "$library")
  owner=$(dpkg-query -S "$library" 2>/dev/null || dpkg-query -S "${library#/usr}") && owner=${owner%%[:,]*}
  printf '%s\n' "$depends" | tr ',' '\n' | grep -Eq "^ *$owner( |$)" ||
    fail "pkgnote dlopens $soname ($owner) but Depends: $depends"
done
echo "ok: 4 .debs lintian-clean (errors and warnings); Depends: $depends"
