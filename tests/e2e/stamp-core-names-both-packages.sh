#!/bin/sh
# SPDX-License-Identifier: MIT
# A kernel core (ulimit -c, SIGSEGV) of a program stamped by `pkgnote stamp` that loads a library
# stamped the same way names both packages from the core alone: the files are gone, --root is an
# empty directory, so the notes must be in what the kernel dumped (by default only the first page
# of each file-backed mapping). For small test programs (a PIE and a non-PIE, each with its
# shared library; a static and a static-pie program) and for a copy of Debian's /usr/bin/sleep with a stamped copy of libz.so.1
# preloaded, whose first segments run far past the first page. Skipped when this kernel writes no
# core file (core_pattern pipes to a helper).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc
mkdir -p "$T/empty"
zlib=$(gcc -print-file-name=libz.so.1)
[ -f "$zlib" ] || zlib=$(ldconfig -p | awk '$1 == "libz.so.1" && /x86-64|x86_64/ { print $NF; exit }')
[ -f "$zlib" ] || fail "no libz.so.1 here (zlib1g is essential on Debian)"

note_json_of() { "$PKGNOTE" generate --format json --type deb --name "$1" --version 1.0-1; }
stamp() { "$PKGNOTE" stamp --type deb --name "$1" --version 1.0-1 "$2" || fail "stamp $2: exit $?"; }

# core_names DIR "MODULE..." COMMAND...: the kernel core of COMMAND, DIR (where its files are)
# then moved away, names each MODULE's package (stamped with the file's basename as its name).
core_names() {
  dir=$1 modules=$2
  shift 2
  status=0
  core=$(kernel_core_of "$@") || status=$?
  [ $status = 0 ] || { [ $status = 77 ] && echo "skipped: no kernel core here" && exit 77; fail "kernel core of $*"; }
  mv "$dir" "$dir.gone"
  "$PKGNOTE" read --json --root "$T/empty" "$core" >"$T/core.json" || [ $? = 1 ] || fail "pkgnote read $core"
  for module in $modules; do
    found=$(module_field "$T/core.json" "$module" package)
    expected=$(note_json_of "$(basename "$module")")
    [ "$found" = "$expected" ] ||
      fail "the core names $module's package as '$found', not '$expected' ($(readelf -lW "$dir.gone/$(basename "$module")" | grep -E 'LOAD|NOTE' | tr -s ' ' | tr '\n' ';'))"
  done
  mv "$dir.gone" "$dir"
  rm -rf "$T/kernel"
  echo "ok: the core of $(basename "${modules%% *}") names$(for m in $modules; do printf ' %s' "$(basename "$m")"; done)"
}

# Small programs: a PIE and a non-PIE, each linked to its own library, none noted at link time.
printf 'int lib_value(void) { return 42; }\n' >"$T/lib.c"
cat >"$T/main.c" <<'C'
#include <unistd.h>
int lib_value(void);
volatile int sink;
int main(void) { sink = lib_value(); for (;;) pause(); }
C
for kind in pie nopie; do
  d=$T/$kind
  mkdir -p "$d"
  case $kind in pie) flags="-fPIE -pie" ;; *) flags="-fno-PIE -no-pie" ;; esac
  gcc -O2 -shared -fPIC "$T/lib.c" -o "$d/libsmall-$kind.so" -Wl,-soname,libsmall-$kind.so || fail "link lib"
  # shellcheck disable=SC2086
  gcc -O2 $flags "$T/main.c" -o "$d/small-$kind" -L"$d" -lsmall-$kind -Wl,-rpath,"$d" || fail "link $kind"
  stamp "small-$kind" "$d/small-$kind"
  stamp "libsmall-$kind.so" "$d/libsmall-$kind.so"
  core_names "$d" "$d/small-$kind $d/libsmall-$kind.so" "$d/small-$kind"
done

# Static programs load no library: their own note must be in the core.
for kind in static static-pie; do
  d=$T/$kind
  mkdir -p "$d"
  gcc -O2 -$kind "$T/main.c" "$T/lib.c" -o "$d/small-$kind" || fail "link $kind"
  stamp "small-$kind" "$d/small-$kind"
  core_names "$d" "$d/small-$kind" "$d/small-$kind"
done

# Debian's sleep and zlib, copied and stamped; sleep does not need zlib, so it is preloaded.
d=$T/real
mkdir -p "$d"
cp /usr/bin/sleep "$d/sleep"
cp "$zlib" "$d/libz.so.1"
stamp sleep "$d/sleep"
stamp libz.so.1 "$d/libz.so.1"
core_names "$d" "$d/sleep $d/libz.so.1" env LD_PRELOAD="$d/libz.so.1" "$d/sleep" 1000
