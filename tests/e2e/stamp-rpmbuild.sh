#!/bin/sh
# SPDX-License-Identifier: MIT
# %_package_note_stamp 1: rpmbuild's install post-processing stamps, after find-debuginfo and
# brp-strip, the files the link flags never reached (a program linked without %{build_ldflags})
# with the values of the note file, so %_package_note_verify 2 passes and the rpm's file carries
# the note; a binary stamped at link time for another release is left as it is (--if-unstamped)
# and still fails verification. Off (the default) and for a noarch build, nothing is stamped.
set -eu
command -v rpmbuild >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files
arch=$(rpm --eval '%{_arch}')
build() { build_verify_standin "$@"; }

build on -D 'verify_extra unstamped' -D '_package_note_stamp 1' -D '_package_note_verify 2' ||
  { tail -n 30 "$work/on.log" >&2; fail "the build with stamping on failed verify=2"; }
for pkg in verify-standin:2 verify-standin-libs:1 verify-standin-tools:1; do
  n=${pkg#*:} pkg=${pkg%:*}
  grep -q "$pkg-1.0-1.$arch.rpm: checked $n, ok $n, unstamped 0, mismatch 0" "$work/on.log" ||
    fail "$pkg did not verify clean: $(grep checked "$work/on.log")"
done
# Stamped after stripping: the trace shows brp-strip before pkgnote stamp.
strip_line=$(grep -n 'brp-strip ' "$work/on.log" | head -n1 | cut -d: -f1)
stamp_line=$(grep -n "$PKGNOTE stamp" "$work/on.log" | head -n1 | cut -d: -f1)
[ -n "$strip_line" ] && [ -n "$stamp_line" ] && [ "$stamp_line" -gt "$strip_line" ] ||
  fail "pkgnote stamp (line ${stamp_line:-none}) does not run after brp-strip (line ${strip_line:-none})"
mkdir -p "$work/x"
(cd "$work/x" && rpm2cpio "$work/on/RPMS/$arch/verify-standin-1.0-1.$arch.rpm" | cpio -idm --quiet)
expected=$(printf '{"type":"rpm","name":"verify-standin","version":"1.0-1","architecture":"%s"%s}' "$arch" "$(expected_os_members)")
check_note "$work/x/usr/bin/vs-unstamped" "$expected"
"$work/x/usr/bin/vs-unstamped" || fail "the stamped vs-unstamped does not run"

build mismatch -D 'verify_extra mismatch' -D '_package_note_stamp 1' -D '_package_note_verify 2' &&
  fail "stamping replaced the note of a binary stamped for another release"
grep -q "/usr/bin/vs-prebuilt: mismatch: version expected '1.0-1', found '1.0-0.old'" "$work/mismatch.log" ||
  fail "the mismatch is not named: $(grep vs-prebuilt "$work/mismatch.log")"

build off -D 'verify_extra unstamped' -D '_package_note_verify 2' && fail "stamping is on by default"
grep -q "/usr/bin/vs-unstamped: unstamped" "$work/off.log" || fail "stamping off: vs-unstamped not named"
! grep -q "$PKGNOTE stamp" "$work/off.log" || fail "stamping off still ran pkgnote stamp"
build nostatus -D 'verify_extra unstamped' -D '_package_note_stamp 1' -D '_package_note_status 0' ||
  fail "the build with status 0 failed"
! grep -q "$PKGNOTE stamp" "$work/nostatus.log" || fail "an unstamped build (status 0) still ran pkgnote stamp"
echo "ok: %_package_note_stamp 1 stamps after stripping and verify=2 passes; off by default"
