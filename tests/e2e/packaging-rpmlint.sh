#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmlint (Debian's 2.4, with openSUSE's policy) on the rpms that e2e.rpmbuild-pkgnote-spec built
# from spec/pkgnote.spec (they are left in BUILD/packaging-rpms: FIXTURES_REQUIRED pkgnote-rpms, so
# the spec is built once). No error but those that no policy of a local build applies:
# no-signature (unsigned local build), no-group-tag (Group: is obsolete since rpm 4.x and Fedora
# forbids it), no-packager-tag (the packager is the distribution's build system). Each warning left
# is listed below with its reason; any other warning fails too.
set -eu
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
command -v rpmlint >/dev/null || fail "no rpmlint (scripts/install-deps test installs it)"
build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
set -- "$build"/packaging-rpms/*.rpm
[ -f "$1" ] || fail "no rpms in $build/packaging-rpms: run e2e.rpmbuild-pkgnote-spec first (ctest does)"
[ $# = 3 ] || fail "$# rpms in $build/packaging-rpms: $*"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

rpmlint "$@" >"$T/rpmlint.log" 2>&1 || true
grep -q 'packages and 0 specfiles checked' "$T/rpmlint.log" || { cat "$T/rpmlint.log" >&2; fail "rpmlint did not run"; }
# "PACKAGE.ARCH: E: TAG ARGS"
errors=$(grep -E '^[^ ]+: E: ' "$T/rpmlint.log" | grep -Ev ': E: (no-signature|no-group-tag|no-packager-tag)( |$)' || true)
[ -z "$errors" ] || { cat "$T/rpmlint.log" >&2; fail "rpmlint errors: $errors"; }
# The warnings that stay, and why:
# - explicit-lib-dependency: the spec requires libarchive, xz-libs, liburing, ncurses-libs and
#   rpm-libs by name: pkgnote loads them with dlopen, which rpm's automatic dependencies miss.
# - devel-file-in-non-devel-package: none expected; static-library-without-debuginfo is an error.
# - no-manual-page-for-binary, no-documentation: none expected (pkgnote has man pages; LICENSE
#   is %license in each package).
# - files-duplicate: /usr/share/licenses/*/LICENSE is the same file in each package.
# - summary-too-long: none expected.
warnings=$(grep -E '^[^ ]+: W: ' "$T/rpmlint.log" |
  grep -Ev ': W: (explicit-lib-dependency (libarchive|xz-libs|liburing|rpm-libs|ncurses-libs)|files-duplicate /usr/share/licenses/)' || true)
[ -z "$warnings" ] || { cat "$T/rpmlint.log" >&2; fail "rpmlint warnings without a reason here: $warnings"; }
echo "ok: rpmlint: $(tail -n 1 "$T/rpmlint.log")"
grep -E ': [EW]: ' "$T/rpmlint.log" | sed 's/^/  /'
