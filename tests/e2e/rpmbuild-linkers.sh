#!/bin/sh
# SPDX-License-Identifier: MIT
# %_package_note_linker picks the right flag for each linker, with gcc and with clang (where gcc
# specs do not work): bfd (gcc and clang), gold (gcc), lld (clang) and mold (gcc, when installed)
# each link a program that carries exactly the package note, in a PT_NOTE segment, and runs.
set -eu
command -v rpmbuild >/dev/null && command -v rpm2cpio >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
arch=$(rpm --eval '%{_arch}')

cat > "$work/linker.spec" <<'SPEC'
Name: linker-standin
Version: 1.0
Release: 1
Summary: One program linked with the linker under test
License: MIT
%description
Links hello with %%{build_ldflags}.
%build
mkdir -p out && cd out
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > hello.c
%{__cc} %{build_ldflags} %{?linker_driver_flags} -o hello hello.c
%install
install -D -m 755 out/hello %{buildroot}%{_bindir}/hello
%files
%{_bindir}/hello
SPEC

checked=
for combo in bfd:gcc bfd:clang-14 gold:gcc lld:clang-14 mold:gcc; do
  linker=${combo%:*} cc=${combo#*:}
  command -v "$cc" >/dev/null || continue
  case $linker in
    bfd) flags=%{nil} ;;
    *) command -v "ld.$linker" >/dev/null || { echo "skipped: no ld.$linker"; continue; }
       flags=-fuse-ld=$linker ;;
  esac
  top=$work/$linker-$cc
  pkgnote_rpmbuild -bb --nodeps --quiet --define "_topdir $top" --define "_builddir $top/BUILD" \
    --define "__cc $cc" --define "_package_note_linker $linker" \
    --define "linker_driver_flags $flags" "$work/linker.spec"
  unpack_rpm "$top/RPMS/$arch/linker-standin-1.0-1.$arch.rpm" "$top/root"
  check_note "$top/root/usr/bin/hello" \
    "{\"type\":\"rpm\",\"name\":\"linker-standin\",\"version\":\"1.0-1\",\"architecture\":\"$arch\"$(expected_os_members)}"
  [ "$("$top/root/usr/bin/hello")" = hello ] || fail "$combo: the program does not run"
  checked="$checked $combo"
done
case "$checked" in *bfd:gcc*gold:gcc*lld:clang-14*) ;; *) fail "only checked:$checked" ;; esac
echo "ok: stamped with$checked"
