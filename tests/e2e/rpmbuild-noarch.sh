#!/bin/sh
# SPDX-License-Identifier: MIT
# A noarch build gets no note: %_package_note_flags expands empty, so even a program such a
# package links with %{build_ldflags} (a test helper, say) is not stamped. (The note file itself
# may still be written: rpm sets %_target_cpu to noarch only while it parses the spec, not when it
# expands %__spec_build_pre.)
set -eu
command -v rpmbuild >/dev/null && command -v rpm2cpio >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/noarch.spec" <<'SPEC'
Name: noarch-standin
Version: 1
Release: 1
Summary: A noarch package that links a helper
License: MIT
BuildArch: noarch
%global _binaries_in_noarch_packages_terminate_build 0
%description
Links a helper program with the build flags.
%build
echo '[%{?_package_note_flags}]' > flags
printf 'int main(void) { return 0; }\n' > helper.c
gcc %{build_ldflags} -o helper helper.c
%install
install -D -m 755 helper %{buildroot}%{_datadir}/%{name}/helper
install -D -m 644 flags %{buildroot}%{_datadir}/%{name}/flags
%files
%{_datadir}/%{name}
SPEC
pkgnote_rpmbuild -bb --nodeps --quiet --define "_topdir $work/top" --define "_builddir $work/build" \
  "$work/noarch.spec"
unpack_rpm "$work/top/RPMS/noarch/noarch-standin-1-1.noarch.rpm" "$work/root"
[ "$(cat "$work/root/usr/share/noarch-standin/flags")" = '[]' ] || fail "noarch build got flags $(cat "$work/root/usr/share/noarch-standin/flags")"
check_no_note "$work/root/usr/share/noarch-standin/helper"
echo "ok: noarch build carries no note"
