#!/bin/sh
# SPDX-License-Identifier: MIT
# leaked-flags (issue 24): a package that ships a file recording build flags (an rbconfig.rb, a
# .pc file) with the note file's name in it fails `pkgnote verify` (exit 1, verdict leaked-flags,
# the line shown); the same package with clean flags passes. A directory; an .rpm built by the real
# rpmbuild through pkgnote's installed macros, whose rbconfig.rb saves %{build_ldflags} (the
# -Wl,-dT,.../.package_note-*.ld flag), failing %_package_note_verify 2 in the build; a .deb built
# by dpkg-buildpackage with the pkgnote addon, whose .pc file saves dpkg-buildflags' LDFLAGS,
# failing DEB_PKGNOTE_VERIFY=2.
set -eu
command -v rpmbuild >/dev/null && command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null ||
  { echo "FAIL: rpmbuild, dpkg-buildpackage or dh missing (scripts/install-deps test)" >&2; exit 1; }
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
arch=$(rpm --eval '%{_arch}')
meta="--type rpm --name leaky --version 1.0-1 --architecture $arch"

# A directory: the leaking line is named, in text and in JSON; the clean tree passes.
leak='  CONFIG["LDFLAGS"] = "-Wl,-z,relro -Wl,-dT,/builddir/build/BUILD/.package_note-ruby-3.2.2-1.x86_64.ld"'
mkdir -p "$work/dir-leaky/usr/lib64/ruby" "$work/dir-leaky/usr/lib64/pkgconfig" "$work/dir-clean/usr/lib64/ruby"
printf 'CONFIG = {}\n%s\n' "$leak" > "$work/dir-leaky/usr/lib64/ruby/rbconfig.rb"
printf 'Libs: -L${libdir} -lfoo\n' > "$work/dir-leaky/usr/lib64/pkgconfig/foo.pc"
printf 'a .package_note-x.ld mention in a file that records no flags\n' > "$work/dir-leaky/usr/lib64/ruby/README"
printf 'CONFIG = {}\n  CONFIG["LDFLAGS"] = "-Wl,-z,relro"\n' > "$work/dir-clean/usr/lib64/ruby/rbconfig.rb"
status=0
# shellcheck disable=SC2086
"$PKGNOTE" verify $meta "$work/dir-leaky" > "$work/dir.out" 2> "$work/dir.err" || status=$?
[ "$status" = 1 ] || fail "a leaking directory: exit $status, expected 1"
# The files that are not ok on stdout, the per-package summary on stderr.
[ "$(grep -c leaked-flags "$work/dir.out")" = 1 ] || fail "expected one leaked-flags line: $(cat "$work/dir.out")"
grep -qxF "$work/dir-leaky: /usr/lib64/ruby/rbconfig.rb: leaked-flags: ${leak#  }" "$work/dir.out" ||
  fail "the leaking line is not shown: $(cat "$work/dir.out")"
grep -q 'checked 0, ok 0, unstamped 0, mismatch 0, skipped 0, errors 0, leaked-flags 1$' "$work/dir.err" ||
  fail "summary: $(cat "$work/dir.err")"
# shellcheck disable=SC2086
"$PKGNOTE" verify --json $meta "$work/dir-leaky" > "$work/dir.json" || true
python3 - "$work/dir.json" "${leak#  }" <<'PY' || fail "JSON record: $(cat "$work/dir.json")"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert len(records) == 1, records
r = records[0]
assert r["path"] == "/usr/lib64/ruby/rbconfig.rb" and r["verdict"] == "leaked-flags", r
assert r["leaked"] == sys.argv[2], r
assert r["expected"]["name"] == "leaky", r
PY
# shellcheck disable=SC2086
"$PKGNOTE" verify $meta "$work/dir-clean" > "$work/clean.out" || fail "a clean directory failed: $(cat "$work/clean.out")"

# rpmbuild, through the installed macros (Fedora order: %{build_ldflags} carries the note flag).
cat > "$work/leaky.spec" <<'SPEC'
Name: leaky
Version: 1.0
Release: 1
Summary: A package that saves its link flags in an rbconfig.rb
License: MIT
%description
Saves %%{build_ldflags} (leak 1) or plain flags.
%build
printf 'int main(void) { return 0; }\n' > m.c
gcc -O2 %{build_ldflags} -o leaky m.c
%if "%{?leak}" == "1"
printf 'CONFIG["LDFLAGS"] = "%%s"\n' "%{build_ldflags}" > rbconfig.rb
%else
printf 'CONFIG["LDFLAGS"] = "%%s"\n' "-Wl,-z,relro" > rbconfig.rb
%endif
%install
install -D -m 755 leaky %{buildroot}%{_bindir}/leaky
install -D -m 644 rbconfig.rb %{buildroot}%{_libdir}/ruby/rbconfig.rb
%files
%{_bindir}/leaky
%{_libdir}/ruby/rbconfig.rb
SPEC
rpm_build() {
  name=$1
  shift
  pkgnote_rpmbuild -bb --nodeps --define "_topdir $work/$name" "$@" "$work/leaky.spec" >"$work/$name.log" 2>&1
}
rpm_build rpm-fail --define 'leak 1' --define '_package_note_verify 2' &&
  fail "%_package_note_verify 2 passed an rbconfig.rb that names the note file"
grep -q "/usr/lib.*/ruby/rbconfig.rb: leaked-flags: CONFIG\[\"LDFLAGS\"\] = \".*-Wl,-dT,.*/\.package_note-leaky-1\.0-1\.$arch\.ld" "$work/rpm-fail.log" ||
  fail "the rpm build log does not name the leak: $(grep -i 'leak\|error' "$work/rpm-fail.log" | tail -n 5)"
rpm_build rpm-leaky --define 'leak 1' --define '_package_note_verify 0' ||
  { tail -n 20 "$work/rpm-leaky.log" >&2; fail "the leaking rpm did not build with verification off"; }
rpm=$work/rpm-leaky/RPMS/$arch/leaky-1.0-1.$arch.rpm
status=0
"$PKGNOTE" verify "$rpm" > "$work/rpm.out" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q 'checked 1, ok 1, unstamped 0, mismatch 0, skipped [0-9]*, errors 0, leaked-flags 1$' "$work/rpm.out" ||
  fail "pkgnote verify of the leaking rpm: exit $status, $(cat "$work/rpm.out")"
rpm_build rpm-clean --define '_package_note_verify 2' ||
  { tail -n 20 "$work/rpm-clean.log" >&2; fail "the clean rpm failed %_package_note_verify 2"; }
"$PKGNOTE" verify "$work/rpm-clean/RPMS/$arch/leaky-1.0-1.$arch.rpm" > "$work/rpm-clean.out" ||
  fail "pkgnote verify of the clean rpm: $(cat "$work/rpm-clean.out")"

# dpkg-buildpackage with the installed addon: the .pc file saves the LDFLAGS (the environment's, or
# dpkg-buildflags'), which the addon extended with the note file's flag.
stage_pkgnote "$work/stage"
pc=debian/hello-standin/usr/lib/pkgconfig/hello.pc
rules_leaky="%:\n\tdh \$@ --with pkgnote\noverride_dh_auto_install:\n\tdh_auto_install\n\
\tmkdir -p \$(dir $pc) && printf 'Libs: -lhello %s\\\\n' \"\$(LDFLAGS) \$(shell dpkg-buildflags --get LDFLAGS)\" > $pc"
rules_clean="%:\n\tdh \$@ --with pkgnote\noverride_dh_auto_install:\n\tdh_auto_install\n\
\tmkdir -p \$(dir $pc) && printf 'Libs: -lhello\\\\n' > $pc"
if (export DEB_PKGNOTE_VERIFY=2; build_standin_deb "$work/deb-fail" "$rules_leaky") 2>/dev/null; then
  fail "DEB_PKGNOTE_VERIFY=2 passed a .pc file that names the note file"
fi
grep -q "debian/hello-standin: /usr/lib/pkgconfig/hello.pc: leaked-flags: Libs: -lhello .*-Wl,-dT,.*/debian/.debhelper/pkgnote/package-note.ld" "$work/deb-fail/build.log" ||
  fail "the deb build log does not name the leak: $(grep -i 'leak\|hello.pc' "$work/deb-fail/build.log" | tail -n 5)"
(export DEB_PKGNOTE_VERIFY=0; build_standin_deb "$work/deb-leaky" "$rules_leaky")
status=0
"$PKGNOTE" verify "$work/deb-leaky"/hello-standin_1.2-3_*.deb > "$work/deb.out" 2>&1 || status=$?
[ "$status" = 1 ] && grep -q 'leaked-flags 1$' "$work/deb.out" ||
  fail "pkgnote verify of the leaking .deb: exit $status, $(cat "$work/deb.out")"
(export DEB_PKGNOTE_VERIFY=2; build_standin_deb "$work/deb-clean" "$rules_clean")
"$PKGNOTE" verify "$work/deb-clean"/hello-standin_1.2-3_*.deb > "$work/deb-clean.out" ||
  fail "pkgnote verify of the clean .deb: $(cat "$work/deb-clean.out")"
echo "ok: leaked-flags in a directory, an rpm (rpmbuild) and a deb (dpkg-buildpackage); clean ones pass"
