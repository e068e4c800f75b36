#!/bin/sh
# SPDX-License-Identifier: MIT
# A running program keeps the library build it mapped: after the library is replaced on disk by
# another version (renamed over it, as dpkg and rpm install), `ps --stale --json PID` names the
# library running version 1, installed version 2, deleted, and exits 1; its running build-id is
# the one readelf reads from version 1. A program started afterwards maps version 2: not stale,
# exit 0. Once the library is removed altogether, installed is null. Text output says it in one
# line per stale module.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/ps-helpers.sh"
need readelf

mkdir "$T/lib"
stamped_library "$T/lib/libv.so" 1
stamped_library "$T/libv-2.so" 2
cp "$T/lib/libv.so" "$T/libv-1.so"
paused_program "$T/app" "$T/lib"
lib=$T/lib/libv.so
build_id() { readelf -n "$1" | sed -n 's/^ *Build ID: //p'; }

start_bg "$T/app"
old=$PID
wait_maps "$old" libv.so
"$PKGNOTE" ps --stale --json "$old" >"$T/none.json" || fail "before the upgrade: exit $?"
[ ! -s "$T/none.json" ] || fail "stale before the upgrade: $(cat "$T/none.json")"
"$PKGNOTE" ps --json "$old" >"$T/before.json" || fail "ps --json: exit $?"
[ "$(ps_module "$T/before.json" "$old" "$lib" deleted)" = false ] || fail "deleted before"
[ "$(ps_module "$T/before.json" "$old" "$lib" installed)" = absent ] || fail "installed before"
[ "$(ps_module "$T/before.json" "$old" "$T/app" package.name)" = app ] || fail "app's own note"
echo "ok: not stale before the upgrade"

cp "$T/libv-2.so" "$lib.dpkg-new"
mv -f "$lib.dpkg-new" "$lib"
status=0
"$PKGNOTE" ps --stale --json "$old" >"$T/replaced.json" || status=$?
[ "$status" -eq 1 ] || fail "replaced: exit $status, expected 1"
[ "$(ps_field "$T/replaced.json" "$old" stale)" = true ] || fail "replaced: not stale"
[ "$(ps_module "$T/replaced.json" "$old" "$lib" package.version)" = 1 ] || fail "running version"
[ "$(ps_module "$T/replaced.json" "$old" "$lib" installed.package.version)" = 2 ] ||
  fail "installed version: $(cat "$T/replaced.json")"
[ "$(ps_module "$T/replaced.json" "$old" "$lib" deleted)" = true ] || fail "deleted flag"
[ "$(ps_module "$T/replaced.json" "$old" "$lib" buildId)" = "$(build_id "$T/libv-1.so")" ] ||
  fail "running build-id is not version 1's"
[ "$(ps_module "$T/replaced.json" "$old" "$lib" installed.buildId)" = "$(build_id "$T/libv-2.so")" ] ||
  fail "installed build-id is not version 2's"
[ "$(ps_module "$T/replaced.json" "$old" "$T/app" deleted)" = false ] || fail "app not replaced"
"$PKGNOTE" ps --stale "$old" >"$T/replaced.txt" 2>/dev/null || true
grep -qxF "    $lib: running libv 1, installed libv 2" "$T/replaced.txt" ||
  fail "text: $(cat "$T/replaced.txt")"
echo "ok: replaced library: running 1, installed 2, exit 1"

start_bg "$T/app"
fresh=$PID
wait_maps "$fresh" libv.so
"$PKGNOTE" ps --stale --json "$fresh" >"$T/fresh.json" || fail "fresh process: exit $?"
[ ! -s "$T/fresh.json" ] || fail "fresh process listed as stale"
"$PKGNOTE" ps --json "$fresh" "$old" >"$T/both.json" || fail "two pids: exit $?"
[ "$(ps_module "$T/both.json" "$fresh" "$lib" package.version)" = 2 ] || fail "fresh runs 2"
[ "$(ps_field "$T/both.json" "$fresh" stale)" = false ] || fail "fresh stale"
[ "$(ps_field "$T/both.json" "$old" stale)" = true ] || fail "old not stale beside fresh"
echo "ok: a fresh process is not stale"

rm -f "$lib"
status=0
"$PKGNOTE" ps --stale --json "$old" "$fresh" >"$T/removed.json" || status=$?
[ "$status" -eq 1 ] || fail "removed: exit $status, expected 1"
[ "$(ps_module "$T/removed.json" "$old" "$lib" installed)" = null ] || fail "installed not null"
[ "$(ps_module "$T/removed.json" "$fresh" "$lib" installed)" = null ] || fail "fresh: not null"
[ "$(ps_module "$T/removed.json" "$fresh" "$lib" package.version)" = 2 ] || fail "fresh note gone"
[ "$(ps_module "$T/removed.json" "$old" "$lib" deleted)" = true ] || fail "removed: deleted"
"$PKGNOTE" ps --stale "$old" >"$T/removed.txt" 2>/dev/null || true
grep -qxF "    $lib: running libv 1, installed nothing (deleted)" "$T/removed.txt" ||
  fail "text: $(cat "$T/removed.txt")"
echo "ok: removed library: installed null, exit 1"
