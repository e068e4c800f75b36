#!/bin/sh
# SPDX-License-Identifier: MIT
# %_package_note_stamp 1: rpmbuild's install post-processing stamps, after find-debuginfo and
# brp-strip, the files the link flags never reached (a program linked without %{build_ldflags})
# with the values of the note file, so %_package_note_verify 2 passes and the rpm's file carries
# the note; a binary stamped at link time for another release is left as it is (--if-unstamped)
# and still fails verification. Off (the default) and for a noarch build, nothing is stamped.
# Through the installed path (issue 24): pkgnote is installed with `cmake --install --prefix /usr`
# into a scratch root and rpmbuild reads rpm's own macro path with that root's macros.d where
# /usr/lib/rpm/macros.d is, nothing loaded on top; so rpm reads the platform file (and, in the
# Fedora order, a redhat-rpm-config-like `macros` that defines %__spec_install_post and
# %__os_install_post again) after pkgnote's macros. Both orders stamp.
set -eu
command -v rpmbuild >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files
arch=$(rpm --eval '%{_arch}')
build() { build_verify_standin "$@"; }
expected=$(printf '{"type":"rpm","name":"verify-standin","version":"1.0-1","architecture":"%s"%s}' "$arch" "$(expected_os_members)")

# Debian's rpm has no %build_ldflags (nor the note file hook): every binary is linked without the
# flags there, and stamping gives each its note.
for order in debian fedora; do
  case $order in debian) ldflags='build_ldflags -Wl,-z,relro' ;; *) ldflags='_pkgnote_order fedora' ;; esac
  PKGNOTE_ORDER=$order build "on-$order" --define "$ldflags" -D 'verify_extra unstamped' -D '_package_note_stamp 1' \
    -D '_package_note_verify 2' ||
    { tail -n 30 "$work/on-$order.log" >&2; fail "$order order: the build with stamping on failed verify=2"; }
  log=$work/on-$order.log
  for pkg in verify-standin:2 verify-standin-libs:1 verify-standin-tools:1; do
    n=${pkg#*:} pkg=${pkg%:*}
    grep -q "$pkg-1.0-1.$arch.rpm: checked $n, ok $n, unstamped 0, mismatch 0" "$log" ||
      fail "$order order: $pkg did not verify clean: $(grep checked "$log")"
  done
  # Stamped after stripping: the trace shows brp-strip before pkgnote stamp, which is the last
  # step of the %install script.
  strip_line=$(grep -n 'brp-strip ' "$log" | head -n1 | cut -d: -f1)
  stamp_line=$(grep -n "/usr/bin/pkgnote stamp " "$log" | head -n1 | cut -d: -f1)
  [ -n "$strip_line" ] && [ -n "$stamp_line" ] && [ "$stamp_line" -gt "$strip_line" ] ||
    fail "$order order: pkgnote stamp (line ${stamp_line:-none}) does not run after brp-strip (line ${strip_line:-none})"
  unpack_rpm "$work/on-$order/RPMS/$arch/verify-standin-1.0-1.$arch.rpm" "$work/x-$order"
  check_note "$work/x-$order/usr/bin/vs-unstamped" "$expected"
  "$work/x-$order/usr/bin/vs-unstamped" || fail "$order order: the stamped vs-unstamped does not run"
  unpack_rpm "$work/on-$order/RPMS/$arch/verify-standin-libs-1.0-1.$arch.rpm" "$work/x-$order"
  check_note "$work/x-$order$(rpm --eval '%{_libdir}')/libvs.so.1" "$expected"
done

# A spec that empties %__spec_install_post (as repackaging specs do) still stamps: the step is
# appended to whatever the post-processing is when the %install script is written.
PKGNOTE_ORDER=fedora build emptied -D '__spec_install_post %{nil}' -D 'verify_extra unstamped' \
  -D '_package_note_stamp 1' -D '_package_note_verify 2' ||
  { tail -n 30 "$work/emptied.log" >&2; fail "an emptied %__spec_install_post: verify=2 failed"; }
! grep -q 'brp-strip ' "$work/emptied.log" || fail "an emptied %__spec_install_post still ran brp-strip"
unpack_rpm "$work/emptied/RPMS/$arch/verify-standin-1.0-1.$arch.rpm" "$work/x-emptied"
check_note "$work/x-emptied/usr/bin/vs-unstamped" "$expected"

build mismatch -D 'verify_extra mismatch' -D '_package_note_stamp 1' -D '_package_note_verify 2' &&
  fail "stamping replaced the note of a binary stamped for another release"
grep -q "/usr/bin/vs-prebuilt: mismatch: version expected '1.0-1', found '1.0-0.old'" "$work/mismatch.log" ||
  fail "the mismatch is not named: $(grep vs-prebuilt "$work/mismatch.log")"

build off -D 'verify_extra unstamped' -D '_package_note_verify 2' && fail "stamping is on by default"
grep -q "/usr/bin/vs-unstamped: unstamped" "$work/off.log" || fail "stamping off: vs-unstamped not named"
! grep -q "pkgnote stamp " "$work/off.log" || fail "stamping off still ran pkgnote stamp"
build nostatus -D 'verify_extra unstamped' -D '_package_note_stamp 1' -D '_package_note_status 0' ||
  fail "the build with status 0 failed"
! grep -q "pkgnote stamp " "$work/nostatus.log" || fail "an unstamped build (status 0) still ran pkgnote stamp"
echo "ok: %_package_note_stamp 1 through the installed macros (Debian and Fedora orders) stamps after stripping and verify=2 passes; off by default"
