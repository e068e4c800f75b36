#!/bin/sh
# SPDX-License-Identifier: MIT
# The real rpmbuild, with pkgnote's rpm macros read once as if installed and redhat-rpm-config's hooks
# (%build_ldflags, %__spec_build_pre), builds a stand-in qemu-user-static package whose %build
# links static qemu-ARCH-static programs in a subdirectory: every ELF file in the RPMs carries
# exactly the note {type rpm, name, version-release, arch, build root's OS}, in a PT_NOTE segment,
# and the noarch -binfmt subpackage registers them with the F flag.
set -eu
command -v rpmbuild >/dev/null && command -v rpm2cpio >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_standin "$work/top"
arch=$(rpm --eval '%{_arch}')
expected="{\"type\":\"rpm\",\"name\":\"qemu-standin\",\"version\":\"7.2.5-3.fc99\",\"architecture\":\"$arch\"$(expected_os_members)}"

unpack_rpm "$work/top/RPMS/$arch/qemu-standin-7.2.5-3.fc99.$arch.rpm" "$work/main"
unpack_rpm "$work/top/RPMS/noarch/qemu-standin-binfmt-7.2.5-3.fc99.noarch.rpm" "$work/binfmt"

elf_files=0
for f in $(find "$work/main" "$work/binfmt" -type f); do
  if is_elf "$f"; then
    check_note "$f" "$expected"
    elf_files=$((elf_files + 1))
  fi
done
[ "$elf_files" = 3 ] || fail "expected 3 ELF files in the RPMs, found $elf_files"

for a in aarch64 arm s390x; do
  file "$work/main/usr/bin/qemu-$a-static" | grep -q 'statically linked' || fail "qemu-$a-static is not static"
  "$work/main/usr/bin/qemu-$a-static" x | grep -q "stand-in emulator for $a: 1 argument" || fail "qemu-$a-static does not run"
  conf=$work/binfmt/usr/lib/binfmt.d/qemu-$a-static.conf
  grep -q "^:qemu-$a:M::.*:/usr/bin/qemu-$a-static:F\$" "$conf" || fail "$conf: $(cat "$conf")"
done
echo "ok: $elf_files ELF files carry $expected"
