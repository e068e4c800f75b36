#!/bin/sh
# SPDX-License-Identifier: MIT
# DEB_PKGNOTE_STAMP=1: the pkgnote addon stamps, after dh_strip and before dh_pkgnote_verify, the
# ELF files of the package that the link flags never reached, a Go program linked by Go's
# internal linker and a C program linked without LDFLAGS, with the values the flags carry: with
# DEB_PKGNOTE_VERIFY=2 the package builds and verifies clean, and every ELF file of its .deb
# carries the source package's note (readelf, pkgnote read). Stamping off, the same package fails
# DEB_PKGNOTE_VERIFY=2 naming both files.
set -eu
command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || exit 77
command -v go >/dev/null || { echo "FAIL: go not installed (scripts/install-deps test)" >&2; exit 1; }
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage_pkgnote "$work/stage"
cat >"$work/hello.go" <<'GO'
package main

import "os"

func main() { os.Stdout.WriteString("hello from go\n") }
GO
bin=debian/hello-standin/usr/bin
rules="%:\n\tdh \$@ --with pkgnote\noverride_dh_auto_install:\n\tdh_auto_install\n\
\tprintf 'int main(void){return 0;}' | gcc -x c - -o $bin/hello-unstamped\n\
\tcd $work && GOCACHE=$work/gocache GOPATH=$work/gopath GO111MODULE=off CGO_ENABLED=0 go build -ldflags=-linkmode=internal -o \$(CURDIR)/$bin/hello-go hello.go\n\
override_dh_dwz:\n\tdh_dwz -Xhello-go"

(export DEB_PKGNOTE_STAMP=1 DEB_PKGNOTE_VERIFY=2; build_standin_deb "$work/on" "$rules")
log=$work/on/build.log
[ "$(grep -E '^ +(dh_strip|dh_pkgnote_stamp|dh_pkgnote_verify|dh_builddeb)( |$)' "$log" | awk '{print $1}' | tr '\n' ' ')" = \
  "dh_strip dh_pkgnote_stamp dh_pkgnote_verify dh_builddeb " ] ||
  fail "dh_pkgnote_stamp does not run between dh_strip and dh_pkgnote_verify: $(grep -E '^ +dh_' "$log" | tr '\n' ' ')"
grep -q 'debian/hello-standin: checked 4, ok 4, unstamped 0, mismatch 0' "$log" ||
  fail "the stamped staging tree did not verify clean: $(grep -E 'checked|unstamped' "$log")"
expected=$(expected_deb_note)
count=0
for f in $(deb_elf_files "$work/on"); do
  case $f in */usr/lib/debug/*) continue ;; esac
  check_note "$f" "$expected"
  count=$((count + 1))
done
[ "$count" = 4 ] || fail "expected 4 ELF files in the .deb (hello, libgreeting, hello-unstamped, hello-go), found $count"
out=$("$work/on/unpacked/usr/bin/hello-go") && [ "$out" = "hello from go" ] || fail "the stamped Go program prints '$out'"
"$PKGNOTE" verify "$work/on"/hello-standin_1.2-3_*.deb >"$work/deb.out" ||
  fail "pkgnote verify of the built .deb: $(cat "$work/deb.out")"

if (export DEB_PKGNOTE_VERIFY=2; build_standin_deb "$work/off" "$rules") 2>/dev/null; then
  fail "without DEB_PKGNOTE_STAMP, DEB_PKGNOTE_VERIFY=2 did not fail the build"
fi
for f in hello-unstamped hello-go; do
  grep -q "/usr/bin/$f: unstamped" "$work/off/build.log" || fail "stamping off: $f not named unstamped"
done
! grep -qE '^ +dh_pkgnote_stamp .*pkgnote stamp|pkgnote stamp ' "$work/off/build.log" || fail "DEB_PKGNOTE_STAMP unset still stamped"
echo "ok: DEB_PKGNOTE_STAMP=1 stamps a Go program and a program linked without LDFLAGS; verify=2 passes"
