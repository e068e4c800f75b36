#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote ps` run as nobody: root's processes come back with an error (permission denied) and
# the run goes on (exit 0: its own processes were read); a process of its own that maps a library
# replaced since is read from its memory (/proc/PID/mem; map_files is root's): running 1,
# installed 2. As root the same library is read from the mapping. Named, only pid 1 (root's):
# nothing readable, exit 2.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/ps-helpers.sh"
need setpriv
[ "$(id -u)" = 0 ] || { echo "skipped: not root, cannot become nobody" >&2; exit 77; }
# A command, not a function: start_bg's PID must be the process that execs the program.
as_nobody="setpriv --reuid nobody --regid nogroup --clear-groups"

chmod 755 "$T"
mkdir "$T/lib"
stamped_library "$T/lib/libv.so" 1
stamped_library "$T/libv-2.so" 2
paused_program "$T/app" "$T/lib"
cp "$PKGNOTE" "$T/pkgnote"
chmod -R a+rX "$T"
lib=$T/lib/libv.so

start_bg $as_nobody "$T/app"
own=$PID
wait_maps "$own" libv.so
cp "$T/libv-2.so" "$lib.new"
mv -f "$lib.new" "$lib"

status=0
$as_nobody "$T/pkgnote" ps --json >"$T/all.json" 2>"$T/all.err" || status=$?
[ "$status" -eq 0 ] || fail "as nobody: exit $status: $(cat "$T/all.err")"
error=$(ps_field "$T/all.json" 1 error)
case $error in
*"permission denied"*) ;;
*) fail "pid 1 as nobody: error '$error'" ;;
esac
[ "$(ps_field "$T/all.json" 1 modules)" = absent ] || fail "pid 1: modules despite the error"
[ "$(ps_field "$T/all.json" "$own" error)" = absent ] || fail "own process: error"
[ "$(ps_module "$T/all.json" "$own" "$lib" package.version)" = 1 ] ||
  fail "own process's running library: $(grep "\"pid\":$own," "$T/all.json")"
[ "$(ps_module "$T/all.json" "$own" "$lib" source)" = memory ] || fail "not read from memory"
[ "$(ps_module "$T/all.json" "$own" "$lib" installed.package.version)" = 2 ] || fail "installed"
[ "$(ps_module "$T/all.json" "$own" "$T/app" source)" = file ] || fail "app not from its file"
echo "ok: as nobody, root's processes have errors, its own are read (from memory when replaced)"

"$PKGNOTE" ps --json "$own" >"$T/root.json" || fail "as root: exit $?"
[ "$(ps_module "$T/root.json" "$own" "$lib" source)" = mapping ] || fail "root: not from mapping"
[ "$(ps_module "$T/root.json" "$own" "$lib" package.version)" = 1 ] || fail "root: running"
echo "ok: as root, the replaced library is read from its mapping"

status=0
$as_nobody "$T/pkgnote" ps --json 1 >"$T/one.json" 2>/dev/null || status=$?
[ "$status" -eq 2 ] || fail "nothing readable: exit $status, expected 2"
case $(ps_field "$T/one.json" 1 error) in
*"permission denied"*) ;;
*) fail "pid 1 alone: $(cat "$T/one.json")" ;;
esac
echo "ok: nothing readable is exit 2"
