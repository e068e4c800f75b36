#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmlint (Debian's 2.4, with openSUSE's policy) on the rpms that e2e.rpmbuild-pkgnote-spec built
# from spec/pkgnote.spec (they are left in BUILD/packaging-rpms: FIXTURES_REQUIRED pkgnote-rpms, so
# the spec is built once). No error but those that no policy of a local build applies:
# no-signature (unsigned local build), no-group-tag (Group: is obsolete since rpm 4.x and Fedora
# forbids it), no-packager-tag (the packager is the distribution's build system). Each warning left
# is listed below with its reason; any other warning fails too. The dlopened libraries are
# required by soname.
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
# - unstripped-binary-or-object /usr/bin/pkgnote: without a -debuginfo package (Debian's rpm makes
#   none) brp-strip runs `strip -g`, which keeps the symbol table; Fedora's find-debuginfo moves
#   it to pkgnote-debuginfo.
# - no-manual-page-for-binary pkgnote: rpmlint 2.4 records the man section ("1") instead of the
#   page's name (FilesCheck.py, man_basenames), so every binary gets it; pkgnote.1.gz is there.
# - manpage-not-compressed bz2: openSUSE's policy wants bzip2; Fedora's and Debian's gzip.
# - invalid-license MIT: Debian's rpmlint configuration has no list of valid licences.
# - no-documentation (rpm-macros, devel): their one documentation file is the %license LICENSE.
# - requires-on-release pkgnote = VERSION-RELEASE: the macros call that very build of pkgnote.
# - only-non-binary-in-usr-lib: macros.pkgnote belongs in %_rpmmacrodir, /usr/lib/rpm/macros.d.
warnings=$(grep -E '^[^ ]+: W: ' "$T/rpmlint.log" |
  grep -Ev ': W: (unstripped-binary-or-object /usr/bin/pkgnote|no-manual-page-for-binary pkgnote|manpage-not-compressed bz2 /usr/share/man/man1/[a-z-]+\.1\.gz|invalid-license MIT|no-documentation|requires-on-release pkgnote = [^ ]+|only-non-binary-in-usr-lib)( |$)' || true)
[ -z "$warnings" ] || { cat "$T/rpmlint.log" >&2; fail "rpmlint warnings without a reason here: $warnings"; }

# The libraries pkgnote loads with dlopen are required by soname, as linked ones would be.
main=$(ls "$build"/packaging-rpms/pkgnote-[0-9]*.rpm)
requires=$(rpm -qp --requires "$main")
for soname in $(strings "$PKGNOTE" | grep -Ex 'lib(archive|lzma|uring|tinfo)\.so\.[0-9]+' | sort -u); do
  printf '%s\n' "$requires" | grep -Fqx -e "$soname()(64bit)" -e "$soname" ||
    fail "pkgnote loads $soname but does not require it: $requires"
done
echo "ok: rpmlint: $(tail -n 1 "$T/rpmlint.log")"
grep -E ': [EW]: ' "$T/rpmlint.log" | sed 's/^/  /'
