# SPDX-License-Identifier: MIT
# Shared by the tests/e2e/stamp-*.sh scripts (sourced, not a test itself): builds, once per
# script, the programs `pkgnote stamp` must handle with the real toolchains, linked without any
# package note: for x86_64 (gcc), i686, aarch64, armhf and s390x (cross gcc, run under
# qemu-*-static -L /usr/TRIPLET) a PIE, a non-PIE, a static and a static-pie executable and a
# shared object (run through a program that loads it), plus a Go program linked by Go's internal
# linker. Every one prints a line and exits 3, so "runs exactly as before" is comparable.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need readelf

STAMP_ARCHES="x86_64 i686 aarch64 armhf s390x"

triplet_of() {
  case $1 in
  x86_64) echo x86_64-linux-gnu ;;
  i686) echo i686-linux-gnu ;;
  aarch64) echo aarch64-linux-gnu ;;
  armhf) echo arm-linux-gnueabihf ;;
  s390x) echo s390x-linux-gnu ;;
  esac
}
cc_of() { case $1 in x86_64) echo gcc ;; *) echo "$(triplet_of "$1")-gcc" ;; esac; }
strip_of() { case $1 in x86_64) echo strip ;; *) echo "$(triplet_of "$1")-strip" ;; esac; }
debarch_of() {
  case $1 in
  x86_64 | go) echo amd64 ;; i686) echo i386 ;; aarch64) echo arm64 ;; *) echo "$1" ;;
  esac
}
# The command prefix that runs a program of ARCH here.
runner_of() {
  case $1 in
  x86_64 | go) ;;
  i686) echo "qemu-i386-static -L /usr/i686-linux-gnu" ;;
  armhf) echo "qemu-arm-static -L /usr/arm-linux-gnueabihf" ;;
  *) echo "qemu-$1-static -L /usr/$(triplet_of "$1")" ;;
  esac
}

# stamp_args NAME: the metadata options every test stamps with (the architecture is the file's).
stamp_args() {
  echo "--type deb --name stamp-test --version 1.0-1 --architecture $(debarch_of "${1%%-*}")"
}
# expected_json NAME: the payload stamp_args NAME must put in the note, as generate writes it.
expected_json() {
  # shellcheck disable=SC2046
  "$PKGNOTE" generate --format json $(stamp_args "$1")
}

# build_stamp_inputs: writes $T/in/ARCH-KIND for every ARCH and KIND (pie, nopie, static,
# static-pie, shared) the toolchains here can link, plus $T/in/go-internal, and lists their names
# in $T/names. A shared object ARCH-shared is run through $T/in/ARCH-loader (rpath $ORIGIN,
# needs libstamptest.so). A missing cross compiler or qemu fails: install-deps provides them.
# armhf's and s390x's glibc ship no rcrt1.o, so they have no static-pie: that pair is left out
# and named on stderr.
build_stamp_inputs() {
  mkdir -p "$T/in"
  : >"$T/names"
  cat >"$T/prog.c" <<'C'
#include <stdio.h>
int main(int argc, char **argv) { printf("stamp-test %d %s\n", argc, argv[1] ? argv[1] : "-"); return 3; }
C
  cat >"$T/lib.c" <<'C'
const char *lib_word(void) { return "from-the-library"; }
int lib_value(void) { return 42; }
C
  cat >"$T/loader.c" <<'C'
#include <stdio.h>
const char *lib_word(void);
int lib_value(void);
int main(void) { printf("loader %d %s\n", lib_value(), lib_word()); return 3; }
C
  for arch in $STAMP_ARCHES; do
    cc=$(cc_of "$arch")
    need "$cc"
    [ "$arch" = x86_64 ] || need "$(runner_of "$arch" | cut -d' ' -f1)"
    # No note at link time: the toolchain default, --build-id so there is one to keep.
    set -- -O2 -Wl,--build-id=sha1
    $cc "$@" -fPIE -pie "$T/prog.c" -o "$T/in/$arch-pie" || fail "$arch: PIE link"
    $cc "$@" -fno-PIE -no-pie "$T/prog.c" -o "$T/in/$arch-nopie" || fail "$arch: non-PIE link"
    $cc "$@" -static "$T/prog.c" -o "$T/in/$arch-static" || fail "$arch: static link"
    echo "$arch-pie $arch-nopie $arch-static" | tr ' ' '\n' >>"$T/names"
    if [ -e "/usr/$(triplet_of "$arch")/lib/rcrt1.o" ] || [ "$arch" = x86_64 ]; then
      $cc "$@" -fPIE -static-pie "$T/prog.c" -o "$T/in/$arch-static-pie" || fail "$arch: static-pie link"
      echo "$arch-static-pie" >>"$T/names"
    else
      echo "note: $arch: the cross glibc has no rcrt1.o, no static-pie" >&2
    fi
    $cc "$@" -fPIC -shared -Wl,-soname,libstamptest.so "$T/lib.c" -o "$T/in/$arch-shared" ||
      fail "$arch: shared link"
    mkdir -p "$T/loader-$arch"
    cp "$T/in/$arch-shared" "$T/loader-$arch/libstamptest.so"
    $cc "$@" -fPIE -pie "$T/loader.c" -o "$T/in/$arch-loader" -L"$T/loader-$arch" -lstamptest \
      -Wl,-rpath,'$ORIGIN' || fail "$arch: loader link"
    echo "$arch-shared" >>"$T/names"
  done
  need go
  mkdir -p "$T/go"
  cat >"$T/go/main.go" <<'GO'
package main

import "os"

func main() {
	os.Stdout.WriteString("stamp-test go " + os.Args[len(os.Args)-1] + "\n")
	os.Exit(3)
}
GO
  (cd "$T/go" && GOCACHE=$T/gocache GOPATH=$T/gopath GO111MODULE=off GOFLAGS='' CGO_ENABLED=0 \
    go build -ldflags=-linkmode=internal -o "$T/in/go-internal" main.go) || fail "go build"
  echo go-internal >>"$T/names"
  # Nothing built here may carry a note already: the point is adding one.
  for name in $(cat "$T/names"); do
    [ "$(note_count "$T/in/$name")" = 0 ] || fail "$name: linked with a package note"
  done
}

# run_stamp_input NAME FILE [ARG]: runs FILE as the program NAME (a shared object through its
# loader, FILE copied in as libstamptest.so); prints its stdout and exit status.
run_stamp_input() {
  arch=${1%%-*}
  runner=$(runner_of "$arch")
  status=0
  case $1 in
  *-shared)
    rm -rf "$T/run" && mkdir -p "$T/run"
    cp "$T/in/$arch-loader" "$T/run/loader"
    cp "$2" "$T/run/libstamptest.so"
    $runner "$T/run/loader" >"$T/run.out" 2>"$T/run.err" || status=$?
    ;;
  *) $runner "$2" "${3:-arg}" >"$T/run.out" 2>"$T/run.err" || status=$? ;;
  esac
  cat "$T/run.out"
  echo "exit $status"
}

# expected_run NAME: what run_stamp_input prints for the unstamped program NAME (the programs
# above are deterministic; e2e.stamp-cross-runs-and-reads compares with the input's own run).
expected_run() {
  case $1 in
  *-shared) printf 'loader 42 from-the-library\nexit 3' ;;
  go-*) printf 'stamp-test go arg\nexit 3' ;;
  *) printf 'stamp-test 2 arg\nexit 3' ;;
  esac
}

# note_count FILE: how many FDO_PACKAGING_METADATA notes readelf (binutils) shows.
note_count() { readelf -nW "$1" 2>/dev/null | grep -c 'FDO_PACKAGING_METADATA' || true; }
# note_json FILE: the payload readelf shows for the note.
note_json() { readelf -nW "$1" | sed -n 's/.*Packaging Metadata: //p'; }
# build_id FILE: the GNU build-id readelf shows, or "none".
build_id() { readelf -nW "$1" | sed -n 's/.*Build ID: //p' | grep . || echo none; }

# check_reads NAME FILE: exactly one note, readelf's payload is the expected JSON and `pkgnote
# read --json` reads the same package.
check_reads() {
  expected=$(expected_json "$1")
  [ "$(note_count "$2")" = 1 ] || fail "$1: $(note_count "$2") package notes in $2, not 1"
  [ "$(note_json "$2")" = "$expected" ] || fail "$1: readelf shows '$(note_json "$2")', not '$expected'"
  "$PKGNOTE" read --json "$2" >"$T/read.json" || fail "$1: pkgnote read $2"
  python3 - "$T/read.json" "$expected" <<'PY' || fail "$1: pkgnote read $2: $(cat "$T/read.json")"
import json, sys
report = json.loads(open(sys.argv[1]).readline())
sys.exit(report.get("package") != json.loads(sys.argv[2]))
PY
}

# check_layout NAME FILE: readelf's section and program headers put .note.package (SHT_NOTE,
# SHF_ALLOC) inside a PT_NOTE that lies inside a PT_LOAD (file range and addresses agreeing), and
# that PT_NOTE holds nothing but whole notes (readelf -n walking segments decodes the payload).
check_layout() {
  readelf -SW "$2" >"$T/sections" && readelf -lW "$2" >"$T/segments" || fail "$1: readelf $2"
  python3 - "$T/sections" "$T/segments" <<'PY' || fail "$1: .note.package layout in $2"
import re, sys
sections = {}
for line in open(sys.argv[1]):
    m = re.match(r"\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*)\s+\d+\s+\d+\s+\d+", line)
    if m:
        sections.setdefault(m.group(1), []).append((m.group(2), int(m.group(3), 16), int(m.group(4), 16), int(m.group(5), 16), m.group(6)))
notes = sections.get(".note.package", [])
if len(notes) != 1:
    sys.exit(print(f"{len(notes)} .note.package sections"))
kind, addr, off, size, flags = notes[0]
if kind != "NOTE" or "A" not in flags:
    sys.exit(print(f".note.package is {kind} flags {flags}"))
segments = []
for line in open(sys.argv[2]):
    m = re.match(r"\s*(\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x[0-9a-f]+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", line)
    if m:
        segments.append((m.group(1), *(int(g, 16) for g in m.group(2, 3, 4, 5))))
def inside(seg, o, a, s):
    _, so, sa, fs, _ = seg
    return so <= o and o + s <= so + fs and a - sa == o - so
note = [p for p in segments if p[0] == "NOTE" and inside(p, off, addr, size)]
if not note:
    sys.exit(print(f".note.package at 0x{off:x} in no PT_NOTE"))
if not any(p[0] == "LOAD" and inside(p, note[0][1], note[0][2], note[0][3]) for p in segments):
    sys.exit(print("its PT_NOTE in no PT_LOAD"))
PY
}

# elflint_diff NAME BEFORE AFTER: eu-elflint --gnu-ld reports nothing for AFTER that it did not
# report for BEFORE (section numbers normalised: a new section renumbers the ones after it).
elflint_lines() {
  eu-elflint --gnu-ld "$1" 2>&1 | sed -e "s|$1||g" -e 's/\[ *[0-9][0-9]*\]/[N]/g' \
    -e 's/section [0-9][0-9]*/section N/g' -e 's/entry [0-9][0-9]*/entry N/g' | grep -v '^No errors' | sort -u || true
}
elflint_diff() {
  elflint_lines "$2" >"$T/lint.before"
  elflint_lines "$3" >"$T/lint.after"
  new=$(comm -13 "$T/lint.before" "$T/lint.after")
  [ -z "$new" ] || fail "$1: eu-elflint --gnu-ld reports after stamping: $new"
}
