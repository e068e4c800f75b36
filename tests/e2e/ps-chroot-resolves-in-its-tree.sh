#!/bin/sh
# SPDX-License-Identifier: MIT
# A process chrooted into a small tree: `ps --json` reports its root, its modules by the paths it
# sees (/opt/pkgnote-e2e-v/libv.so, which does not exist outside the tree), and, after the tree's
# library is replaced by another version, reads what is installed inside the tree (version 4),
# not outside it. The same tree as the root of a mount namespace (pivot_root, as a container's):
# the kernel shows the process's own paths and its root as "/", which pkgnote reports as
# /proc/PID/root, and looks its files up there.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/ps-helpers.sh"
need chroot ldd unshare mount pivot_root
[ "$(id -u)" = 0 ] || { echo "skipped: not root, cannot chroot (CI runs as root)" >&2; exit 77; }

dir=/opt/pkgnote-e2e-v
[ ! -e "$dir" ] || fail "$dir exists outside the tree: the test could not tell the trees apart"
tree=$T/tree
mkdir -p "$tree$dir" "$T/lib"
stamped_library "$T/lib/libv.so" 3
cp "$T/lib/libv.so" "$tree$dir/libv.so"
stamped_library "$T/libv-4.so" 4
paused_program "$tree/app" "$T/lib" "$dir"
for file in $(ldd "$tree/app" | grep -o '/[^ ]*'); do
  mkdir -p "$tree$(dirname "$file")"
  cp -L "$file" "$tree$file"
done

start_bg chroot "$tree" /app
pid=$PID
wait_maps "$pid" libv.so
"$PKGNOTE" ps --json "$pid" >"$T/tree.json" || fail "ps: exit $?"
[ "$(ps_field "$T/tree.json" "$pid" root)" = "$tree" ] || fail "root: $(cat "$T/tree.json")"
[ "$(ps_field "$T/tree.json" "$pid" exe)" = /app ] || fail "exe not as the process sees it"
[ "$(ps_module "$T/tree.json" "$pid" "$dir/libv.so" package.version)" = 3 ] ||
  fail "library in the tree: $(cat "$T/tree.json")"
[ "$(ps_module "$T/tree.json" "$pid" "$dir/libv.so" deleted)" = false ] || fail "deleted"
[ "$(ps_module "$T/tree.json" "$pid" /app package.name)" = app ] || fail "program in the tree"
echo "ok: modules named and read inside the tree"

cp "$T/libv-4.so" "$tree$dir/libv.so.new"
mv -f "$tree$dir/libv.so.new" "$tree$dir/libv.so"
status=0
"$PKGNOTE" ps --stale --json "$pid" >"$T/stale.json" || status=$?
[ "$status" -eq 1 ] || fail "stale: exit $status, expected 1"
[ "$(ps_module "$T/stale.json" "$pid" "$dir/libv.so" package.version)" = 3 ] || fail "running"
[ "$(ps_module "$T/stale.json" "$pid" "$dir/libv.so" installed.package.version)" = 4 ] ||
  fail "installed not read in the tree: $(cat "$T/stale.json")"
echo "ok: what is installed is read inside the tree"

stamped_library "$T/libv-5.so" 5
mkdir "$tree/old"
start_bg unshare -m --propagation private sh -c \
  "mount --bind '$tree' '$tree' && cd '$tree' && pivot_root . old && exec /app"
pid=$PID
wait_maps "$pid" libv.so
"$PKGNOTE" ps --json "$pid" >"$T/ns.json" || fail "mount namespace: exit $?"
[ "$(ps_field "$T/ns.json" "$pid" root)" = "/proc/$pid/root" ] || fail "ns root: $(cat "$T/ns.json")"
[ "$(ps_module "$T/ns.json" "$pid" "$dir/libv.so" package.version)" = 4 ] || fail "ns library"
[ "$(ps_module "$T/ns.json" "$pid" "$dir/libv.so" deleted)" = false ] || fail "ns deleted"
cp "$T/libv-5.so" "$tree$dir/libv.so.new"
mv -f "$tree$dir/libv.so.new" "$tree$dir/libv.so"
status=0
"$PKGNOTE" ps --stale --json "$pid" >"$T/ns-stale.json" || status=$?
[ "$status" -eq 1 ] || fail "ns stale: exit $status, expected 1"
[ "$(ps_module "$T/ns-stale.json" "$pid" "$dir/libv.so" installed.package.version)" = 5 ] ||
  fail "ns installed: $(cat "$T/ns-stale.json")"
echo "ok: a mount namespace's root is looked into through /proc/PID/root"
