#!/bin/sh
# SPDX-License-Identifier: MIT
# A kernel core (ulimit -c, SIGSEGV) of a program stamped by `pkgnote stamp` that loads a library
# stamped the same way names both packages from the core alone: the files are gone, --root is an
# empty directory, so the notes must be in what the kernel dumped (by default only the first page
# of each file-backed mapping). For small test programs (a PIE and a non-PIE, each with its
# shared library; a static and a static-pie program) and for a copy of Debian's /usr/bin/sleep with a stamped copy of libz.so.1
# preloaded, whose first segments run far past the first page. And an lld-linked PIE and library,
# which get the "segment" layout with their program header table moved out of the first page:
# the core alone cannot name them (docs/stamp.md), so with --root an empty directory they have no
# package, and with the files under --root (/) each is named through its file, whose read-only
# pages the core's match (source "file"); a different file at that path is not taken. Skipped when
# this kernel writes no core file (core_pattern pipes to a helper).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc ld.lld-14
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

# lld: the "segment" layout, the table moved. Named through the files, not from the core.
d=$T/segment
mkdir -p "$d" "$T/lld14"
ln -s "$(command -v ld.lld-14)" "$T/lld14/ld.lld"
gcc -O2 -shared -fPIC -B"$T/lld14" -fuse-ld=lld "$T/lib.c" -o "$d/libseg.so" -Wl,-soname,libseg.so || fail "lld link lib"
gcc -O2 -fPIE -pie -B"$T/lld14" -fuse-ld=lld "$T/main.c" -o "$d/seg" -L"$d" -lseg -Wl,-rpath,"$d" || fail "lld link"
for f in seg libseg.so; do
  phoff=$(readelf -hW "$d/$f" | sed -n 's/.*Start of program headers: *//p')
  "$PKGNOTE" stamp --json --type deb --name "$f" --version 1.0-1 "$d/$f" 2>/dev/null >"$T/stamp.json" || fail "stamp $f"
  grep -q '"layout":"segment"' "$T/stamp.json" || fail "$f: not the segment layout: $(cat "$T/stamp.json")"
  [ "$(readelf -hW "$d/$f" | sed -n 's/.*Start of program headers: *//p')" != "$phoff" ] ||
    fail "$f: the program header table stayed where it was"
done
status=0
core=$(kernel_core_of "$d/seg") || status=$?
[ $status = 0 ] || { [ $status = 77 ] && echo "skipped: no kernel core here" && exit 77; fail "kernel core of seg"; }
"$PKGNOTE" read --json --root "$T/empty" "$core" >"$T/core.json" 2>"$T/core.err" || [ $? = 1 ] || fail "pkgnote read $core"
for f in seg libseg.so; do
  [ "$(module_field "$T/core.json" "$d/$f" package)" = absent ] ||
    fail "$f: the core alone names a package: $(module_field "$T/core.json" "$d/$f" package)"
done
"$PKGNOTE" read --json "$core" >"$T/core.json" 2>"$T/core.err" || fail "pkgnote read --root / $core: $(cat "$T/core.err")"
for f in seg libseg.so; do
  found=$(module_field "$T/core.json" "$d/$f" package)
  [ "$found" = "$(note_json_of "$f")" ] || fail "$f: the core with its file names '$found' ($(cat "$T/core.err"))"
  [ "$(module_field "$T/core.json" "$d/$f" source)" = file ] || fail "$f: source $(module_field "$T/core.json" "$d/$f" source), not file"
  [ "$(module_field "$T/core.json" "$d/$f" buildId)" = "$(readelf -nW "$d/$f" | sed -n 's/.*Build ID: //p')" ] ||
    fail "$f: the build-id read is not the file's"
done
# Another program at the executable's path (same linker, stamped as another package): not taken.
mkdir -p "$T/other$d"
cp "$d/libseg.so" "$T/other$d/"
printf '#include <stdio.h>\n#include <unistd.h>\nint main(void) { puts("other"); for (;;) pause(); }\n' >"$T/other.c"
gcc -O2 -fPIE -pie -B"$T/lld14" -fuse-ld=lld "$T/other.c" -o "$T/other$d/seg" || fail "lld link other"
"$PKGNOTE" stamp --type deb --name other --version 1 "$T/other$d/seg" 2>/dev/null || fail "stamp other"
"$PKGNOTE" read --json --root "$T/other" "$core" >"$T/core.json" 2>"$T/core.err" || [ $? = 1 ] || fail "pkgnote read --root other"
[ "$(module_field "$T/core.json" "$d/seg" package)" = absent ] ||
  fail "another file at the path names the package: $(module_field "$T/core.json" "$d/seg" package)"
grep -q "module '$d/seg': .* is not in the core" "$T/core.err" || fail "no warning about the module: $(cat "$T/core.err")"
echo "ok: the core of the segment-layout seg names seg and libseg.so through their files only"
