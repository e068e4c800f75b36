#!/bin/sh
# SPDX-License-Identifier: MIT
# Every linker's output gets stamped (issue 24): small C programs linked by gcc and clang-14 with
# GNU ld, gold, lld 14, lld 16 and mold as PIE, non-PIE, static, static-pie and shared objects
# (default, -z separate-code or -z noseparate-code, -z norelro), and by the cross gccs for
# aarch64, armhf, s390x, ppc64le, riscv64 and i686 (run under qemu-user-static). Each one is
# stamped (exit 0), runs exactly as before, keeps its build-id in the first page (or at its offset), reads back with
# exactly the note (readelf and pkgnote read), has .note.package in a PT_NOTE in a PT_LOAD,
# `readelf -lW` has nothing to warn about and `eu-elflint --gnu-ld` reports nothing new; stamped
# again with a longer then the first version it reads back and runs again.
# CI runs a sample (every linker x mode once, each cross arch once: 31 programs, 2.5 minutes of
# CPU, longer on a loaded machine); FULL=1
# runs the whole matrix. Combinations a toolchain cannot link (gold -static-pie, armhf and
# s390x static-pie) are named on stderr and left out.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need eu-elflint gcc clang-14 ld.gold ld.lld-14 ld.lld-16 mold
FULL=${FULL:-0}

triplet_of() {
  case $1 in
  x86_64) echo x86_64-linux-gnu ;; i686) echo i686-linux-gnu ;;
  aarch64) echo aarch64-linux-gnu ;; armhf) echo arm-linux-gnueabihf ;;
  s390x) echo s390x-linux-gnu ;; ppc64le) echo powerpc64le-linux-gnu ;;
  riscv64) echo riscv64-linux-gnu ;;
  esac
}
runner_of() {
  case $1 in
  x86_64) ;;
  i686) echo "qemu-i386-static -L /usr/i686-linux-gnu" ;;
  armhf) echo "qemu-arm-static -L /usr/arm-linux-gnueabihf" ;;
  *) echo "qemu-$1-static -L /usr/$(triplet_of "$1")" ;;
  esac
}

for v in 14 16; do
  mkdir -p "$T/lld$v" && ln -s "$(command -v "ld.lld-$v")" "$T/lld$v/ld.lld"
done
cat >"$T/prog.c" <<'C'
#include <stdio.h>
static __thread int counter = 2;
int main(int argc, char **argv) {
  counter += argc;
  printf("matrix %d %s\n", counter, argv[1] ? argv[1] : "-");
  return 3;
}
C
cat >"$T/lib.c" <<'C'
#include <stdio.h>
static __thread int calls;
int from_library(int x) { calls++; printf("library %d %d\n", x, calls); return x + 1; }
C
cat >"$T/loader.c" <<'C'
int from_library(int);
int main(void) { return from_library(41) == 42 ? 3 : 1; }
C

ld_flags() {
  case $1 in
  bfd) echo "-fuse-ld=bfd" ;; gold) echo "-fuse-ld=gold" ;; mold) echo "-fuse-ld=mold" ;;
  lld14 | lld16) echo "-B$T/$1 -fuse-ld=lld" ;;
  esac
}
mode_flags() {
  case $1 in
  pie) echo "-fPIE -pie" ;; nopie) echo "-fno-PIE -no-pie" ;; static) echo "-fno-PIE -static" ;;
  static-pie) echo "-fPIE -static-pie" ;; shared) echo "-fPIC" ;;
  esac
}
variant_flags() {
  case $1 in
  default) ;; sep) echo "-Wl,-z,separate-code" ;; nosep) echo "-Wl,-z,noseparate-code" ;;
  norelro) echo "-Wl,-z,norelro" ;;
  esac
}

# link NAME CC LDFLAGS MODE: $T/in/NAME (and $T/in/NAME.loader for shared objects); false when
# the toolchain cannot link that combination.
link() {
  mkdir -p "$T/in"
  # shellcheck disable=SC2086
  case $4 in
  shared)
    $2 $3 $(mode_flags shared) -shared -Wl,-soname,$1 -Wl,--build-id -o "$T/in/$1" "$T/lib.c" 2>"$T/link.err" &&
      $2 $3 -o "$T/in/$1.loader" "$T/loader.c" "$T/in/$1" -Wl,-rpath,'$ORIGIN' 2>>"$T/link.err"
    ;;
  *) $2 $3 $(mode_flags "$4") -Wl,--build-id -o "$T/in/$1" "$T/prog.c" 2>"$T/link.err" ;;
  esac
}

# run_it ARCH FILE NAME: what FILE prints and its exit status (a shared object through its loader,
# copied beside it under the name the loader needs).
run_it() {
  runner=$(runner_of "$1")
  status=0
  case $3 in
  *-shared*)
    rm -rf "$T/run" && mkdir -p "$T/run"
    cp "$T/in/$3.loader" "$T/run/loader" && cp "$2" "$T/run/$3"
    $runner "$T/run/loader" >"$T/run.out" 2>&1 || status=$?
    ;;
  *) $runner "$2" arg >"$T/run.out" 2>&1 || status=$? ;;
  esac
  cat "$T/run.out"
  echo "exit $status"
}

# The file offset of the build-id's bytes, or none.
build_id_offset() {
  python3 - "$1" "$(build_id "$1")" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
print("none" if sys.argv[2] == "none" else data.find(bytes.fromhex(sys.argv[2])))
PY
}

# same_place OLD NEW: the build-id (20 bytes) is still in the first page when it was (the layouts
# that repack the first page put it right after the program headers), else at the same offset.
same_place() {
  if [ "$1" = none ]; then
    [ "$2" = none ]
  elif [ "$1" -lt 4076 ]; then
    [ "$2" != none ] && [ "$2" -lt 4076 ]
  else
    [ "$1" = "$2" ]
  fi
}

count=0
check() {
  arch=$1 name=$2
  in=$T/in/$name out=$T/out/$name
  mkdir -p "$T/out"
  cp "$in" "$out"
  before=$(run_it "$arch" "$in" "$name")
  case $before in *"exit 3") ;; *) fail "$name: does not run before stamping: $before" ;; esac
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name") "$out" 2>"$T/stamp.err" ||
    fail "$name: stamp exit $?: $(cat "$T/stamp.err")"
  check_reads "$name" "$out"
  check_layout "$name" "$out"
  warnings=$(readelf -lW "$out" 2>&1 >/dev/null) || fail "$name: readelf -lW exit $?"
  [ -z "$warnings" ] || fail "$name: readelf -lW warns: $warnings"
  elflint_diff "$name" "$in" "$out"
  after=$(run_it "$arch" "$out" "$name")
  [ "$after" = "$before" ] || fail "$name: ran '$before' before stamping, '$after' after"
  old=$(build_id_offset "$in") new=$(build_id_offset "$out")
  same_place "$old" "$new" || fail "$name: the build-id moved from offset $old to $new"
  # Stamped again with a longer version, then with the first one: one note each time, and it runs.
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name" | sed 's/--version 1.0-1/--version 1.0-1+with.a.much.longer.version.string/') \
    "$out" 2>"$T/stamp.err" || fail "$name: stamp with a longer note exit $?: $(cat "$T/stamp.err")"
  [ "$(note_count "$out")" = 1 ] || fail "$name: $(note_count "$out") notes after the longer stamp"
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name") "$out" 2>"$T/stamp.err" ||
    fail "$name: stamp with the shorter note again exit $?: $(cat "$T/stamp.err")"
  check_reads "$name" "$out"
  again=$(run_it "$arch" "$out" "$name")
  [ "$again" = "$before" ] || fail "$name: ran '$again' after re-stamping"
  same_place "$old" "$(build_id_offset "$out")" || fail "$name: the build-id left its place on re-stamping"
  count=$((count + 1))
}

skipped=""
# x86_64: the sample takes, for each linker and mode, one compiler and one variant in turn.
pair=0
for linker in bfd gold lld14 lld16 mold; do
  for mode in pie nopie static static-pie shared; do
    pair=$((pair + 1)) k=0
    for compiler in gcc clang-14; do
      for variant in default sep nosep norelro; do
        k=$((k + 1))
        if [ "$FULL" != 1 ]; then
          [ "$k" = $((pair * 3 % 8 + 1)) ] || continue
        fi
        name=x86_64-$compiler-$linker-$mode-$variant
        if ! link "$name" "$compiler" "$(ld_flags "$linker") $(variant_flags "$variant")" "$mode"; then
          skipped="$skipped $name"
          continue
        fi
        check x86_64 "$name"
      done
    done
  done
done
# The cross gccs (GNU ld): static or PIE in turn in CI, every mode with FULL=1.
turn=0
for arch in aarch64 armhf s390x ppc64le riscv64 i686; do
  need "$(triplet_of "$arch")-gcc" "$(runner_of "$arch" | cut -d' ' -f1)"
  turn=$((turn + 1))
  modes=pie
  [ $((turn % 2)) = 0 ] || modes=static
  [ "$FULL" != 1 ] || modes="pie nopie static static-pie shared"
  for mode in $modes; do
    name=$arch-gcc-bfd-$mode-default
    if ! link "$name" "$(triplet_of "$arch")-gcc" "" "$mode"; then
      skipped="$skipped $name"
      continue
    fi
    check "$arch" "$name"
  done
done
[ -z "$skipped" ] || echo "not linkable here:$skipped" >&2
[ "$count" -ge 20 ] || fail "only $count programs checked"
echo "ok: $count programs of every linker stamped, run as before, build-id in place, one note"
