#!/bin/sh
# SPDX-License-Identifier: MIT
# rpmbuild runs `pkgnote verify` on the binary packages it has just written (%_build_pkgcheck_set):
# a spec with binaries in subpackages and a shared library is all ok (the notes name the source
# package); a binary linked without the flags is unstamped and one stamped for another release is
# a mismatch naming both versions, each named in the build log; level 1 warns, level 2 fails the
# build, level 0 and an opted-out build run nothing; a chained pkgcheck command still runs; xz
# payloads read as zstd ones do.
set -eu
command -v rpmbuild >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files
arch=$(rpm --eval '%{_arch}')

build() { build_verify_standin "$@"; }

build ok || { tail -n 30 "$work/ok.log" >&2; fail "the stamped build failed"; }
for pkg in verify-standin verify-standin-libs verify-standin-tools; do
  rpm=$pkg-1.0-1.$arch.rpm
  grep -q "$rpm: checked 1, ok 1, unstamped 0, mismatch 0" "$work/ok.log" || fail "build log does not verify $rpm"
done
out=$("$PKGNOTE" verify --json "$work/ok/RPMS/$arch/verify-standin-libs-1.0-1.$arch.rpm") || fail "verify of the -libs package: $out"
printf '%s' "$out" | grep -q '"path":"/usr/lib[0-9]*/libvs.so.1","verdict":"ok","expected":{"type":"rpm","name":"verify-standin","version":"1.0-1"' ||
  fail "-libs: $out"

# An xz payload (what older Fedora, RHEL 8 and openSUSE use) goes through pkgnote's xz decoder.
build xz -D '_binary_payload w2T2.xzdio' || { tail -n 30 "$work/xz.log" >&2; fail "the xz-payload build failed"; }
[ "$(rpm -qp --qf '%{PAYLOADCOMPRESSOR}' "$work/xz/RPMS/$arch/verify-standin-1.0-1.$arch.rpm" 2>/dev/null)" = xz ] ||
  fail "rpmbuild did not write an xz payload"
out=$("$PKGNOTE" verify "$work/xz/RPMS/$arch/"*.rpm 2>&1) || fail "verify of the xz-payload packages: $out"
[ "$(printf '%s\n' "$out" | grep -c 'checked 1, ok 1, unstamped 0, mismatch 0')" = 3 ] || fail "xz payloads: $out"

build unstamped -D 'verify_extra unstamped' || fail "level 1 failed the build for an unstamped binary"
grep -q "verify-standin-1.0-1.$arch.rpm: /usr/bin/vs-unstamped: unstamped" "$work/unstamped.log" || fail "level 1 did not name vs-unstamped"
if build unstamped2 -D 'verify_extra unstamped' -D '_package_note_verify 2'; then
  fail "level 2 did not fail the build for an unstamped binary"
fi
grep -q "/usr/bin/vs-unstamped: unstamped" "$work/unstamped2.log" || fail "level 2 did not name vs-unstamped"

build mismatch -D 'verify_extra mismatch' -D '_package_note_verify 2' && fail "level 2 did not fail on a mismatch"
grep -q "/usr/bin/vs-prebuilt: mismatch: version expected '1.0-1', found '1.0-0.old'" "$work/mismatch.log" ||
  fail "the mismatch is not named with both versions: $(grep vs-prebuilt "$work/mismatch.log")"

build off -D 'verify_extra unstamped' -D '_package_note_verify 0' || fail "level 0 failed the build"
! grep -q 'checked' "$work/off.log" || fail "level 0 still verified"
build optout -D 'verify_extra unstamped' -D '_package_note_verify 2' -D '_package_note_status 0' || fail "an unstamped build (status 0) was verified"

build chain -D '_package_note_pkgcheck_chain echo chained-check' || fail "the chained build failed"
grep -q "chained-check .*verify-standin-1.0-1.$arch.rpm" "$work/chain.log" || fail "the chained pkgcheck command did not run"
grep -q "verify-standin-1.0-1.$arch.rpm: checked 1, ok 1" "$work/chain.log" || fail "verify did not run after the chained command"
echo "ok: rpmbuild verifies at levels 0, 1 and 2, chained with another check"
