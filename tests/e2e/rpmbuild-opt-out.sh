#!/bin/sh
# A spec opts out of the package note the ways redhat-rpm-config documents: `%undefine
# _package_note_flags`, defining it empty, or `%global _package_note_status 0`. Each build's ELF
# files carry no note and no note file is written; the same spec without an opt-out (checked in
# rpmbuild-qemu-standin.sh) carries it.
set -eu
command -v rpmbuild >/dev/null && command -v rpm2cpio >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
arch=$(rpm --eval '%{_arch}')

for how in undefine empty status; do
  if [ "$how" = status ]; then
    build_standin "$work/$how" --define '_package_note_status 0'
  else
    build_standin "$work/$how" --define "pkgnote_optout $how"
  fi
  unpack_rpm "$work/$how/RPMS/$arch/qemu-standin-7.2.5-3.fc99.$arch.rpm" "$work/$how/root"
  for a in aarch64 arm s390x; do
    check_no_note "$work/$how/root/usr/bin/qemu-$a-static"
  done
  notes=$(find "$work/$how/BUILD" -name '.package_note-*' | wc -l)
  [ "$notes" = 0 ] || fail "opt-out by $how: a note file was written"
done
echo "ok: no note with %undefine, empty definition, or status 0"
