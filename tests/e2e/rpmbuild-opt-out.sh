#!/bin/sh
# SPDX-License-Identifier: MIT
# The opt-outs redhat-rpm-config documents (buildflags.md, "Package note on ELF objects"), with
# pkgnote's macros read once as from /usr/lib/rpm/macros.d (so one %undefine removes a macro):
#   %undefine _package_note_file           the build passes, no flag, no note file, no note
#   %undefine _generate_package_note_file  no file from pkgnote's macros; the flags still name the
#                                          file, which the spec writes itself: its note is linked
#   %undefine _package_note_flags          no flag, the file is still written; the spec passes it
#                                          to the linker itself: the note is linked
#   %global _package_note_flags %{nil}     no flag, the file is still written, no note
#   %global _package_note_status 0         no flag, no file, no note
# The same spec without an opt-out (rpmbuild-qemu-standin.sh) carries the note. --noclean keeps the
# build directory, where the note file would be.
set -eu
command -v rpmbuild >/dev/null && command -v rpm2cpio >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
arch=$(rpm --eval '%{_arch}')
standard="{\"type\":\"rpm\",\"name\":\"qemu-standin\",\"version\":\"7.2.5-3.fc99\",\"architecture\":\"$arch\"$(expected_os_members)}"

for how in undefine-file undefine-generate undefine-flags empty-flags status; do
  if [ "$how" = status ]; then
    build_standin "$work/$how" --noclean --define '_package_note_status 0'
  else
    build_standin "$work/$how" --noclean --define "pkgnote_optout $how"
  fi || fail "opt-out by $how: rpmbuild failed"
  unpack_rpm "$work/$how/RPMS/$arch/qemu-standin-7.2.5-3.fc99.$arch.rpm" "$work/$how/root"
  ldflags=$(cat "$work/$how/BUILD/qemu-standin-7.2.5/build/ldflags")
  case $ldflags in *'%'*) fail "opt-out by $how: unexpanded macro in build_ldflags: $ldflags" ;; esac
  files=$(find "$work/$how/BUILD" -name '.package_note-*' -type f | wc -l)
  case $how in
    undefine-generate) expected_flag=yes expected_files=1 note='{"type":"rpm","name":"written-by-the-spec","version":"1"}' ;;
    undefine-flags) expected_flag=no expected_files=1 note=$standard ;;
    empty-flags) expected_flag=no expected_files=1 note= ;;
    *) expected_flag=no expected_files=0 note= ;;
  esac
  case $ldflags in
    *package_note*) [ "$expected_flag" = yes ] || fail "opt-out by $how: build_ldflags still link the note: $ldflags" ;;
    *) [ "$expected_flag" = no ] || fail "opt-out by $how: build_ldflags lost the note flag: $ldflags" ;;
  esac
  [ "$files" = "$expected_files" ] || fail "opt-out by $how: $files note files written, expected $expected_files"
  for a in aarch64 arm s390x; do
    if [ -n "$note" ]; then
      check_note "$work/$how/root/usr/bin/qemu-$a-static" "$note"
    else
      check_no_note "$work/$how/root/usr/bin/qemu-$a-static"
    fi
  done
  echo "ok: $how: flag $expected_flag, $files note file(s), note ${note:-none}"
done
