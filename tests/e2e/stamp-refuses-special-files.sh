#!/bin/sh
# SPDX-License-Identifier: MIT
# What is not a regular file is refused at once: a FIFO (which open(2) would wait on for a writer
# forever: `timeout` must not fire), a character device, a socket and a directory without -r each
# exit 2 with one line naming the path, and are still what they were; the good file given with
# them is stamped. -o naming a FIFO or a device is refused too. -r walks past a FIFO in a tree. `-o ''` is a usage error (exit 2) that stamps
# nothing, not "in place".
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need timeout mkfifo mknod python3
meta="--type deb --name stamp-test --version 1.0-1 --architecture amd64"
d=$T/special
mkdir "$d"
mkfifo "$d/fifo"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$d/socket"
mkdir "$d/dir"
cp /usr/bin/sleep "$d/good"
if mknod "$d/null" c 1 3 2>/dev/null; then dev=$d/null; else
  # Without CAP_MKNOD (a container), the system's own /dev/null: refused before any open.
  dev=/dev/null
fi

kind() { stat -c %F "$1"; }
status=0
# shellcheck disable=SC2086
timeout 10 "$PKGNOTE" stamp $meta "$d/fifo" "$dev" "$d/socket" "$d/dir" "$d/good" >"$T/out" 2>"$T/err" ||
  status=$?
[ $status != 124 ] || fail "pkgnote stamp still waits on the FIFO after 10 s"
[ $status = 2 ] || fail "exit $status, not 2: $(cat "$T/err")"
grep -qx "pkgnote: error: '$d/fifo': not a regular file (a FIFO)" "$T/err" || fail "FIFO message: $(cat "$T/err")"
grep -qx "pkgnote: error: '$dev': not a regular file (a character device)" "$T/err" ||
  fail "device message: $(cat "$T/err")"
grep -qx "pkgnote: error: '$d/socket': not a regular file (a socket)" "$T/err" ||
  fail "socket message: $(cat "$T/err")"
grep -qx "pkgnote: error: '$d/dir': is a directory (use --recursive)" "$T/err" ||
  fail "directory message: $(cat "$T/err")"
[ "$(grep -c "pkgnote: error:" "$T/err")" = 4 ] || fail "not one line each: $(cat "$T/err")"
grep -qx "pkgnote: files stamped: 1, unchanged: 0, left alone: 0, errors: 4" "$T/err" || fail "summary: $(cat "$T/err")"
[ "$(kind "$d/fifo")" = fifo ] && [ "$(kind "$dev")" = "character special file" ] &&
  [ "$(kind "$d/socket")" = socket ] && [ "$(kind "$d/dir")" = directory ] || fail "a refused input changed"
[ "$(stat -c %t:%T "$dev")" = 1:3 ] || fail "$dev is no longer 1:3"
[ "$(note_count "$d/good")" = 1 ] || fail "the regular file beside them was not stamped"
[ -z "$(find "$d" -name '*.pkgnote-tmp-*')" ] || fail "left behind: $(ls -A "$d")"

# Nor is a FIFO or a device named by -o replaced by the stamped file.
for out in "$d/fifo" "$dev"; do
  status=0
  # shellcheck disable=SC2086
  timeout 10 "$PKGNOTE" stamp $meta -o "$out" /usr/bin/sleep 2>"$T/err" || status=$?
  [ $status = 2 ] || fail "-o $out: exit $status, not 2: $(cat "$T/err")"
  grep -q "^pkgnote: error: '$out': not a regular file" "$T/err" || fail "-o $out: $(cat "$T/err")"
done
[ "$(kind "$d/fifo")" = fifo ] && [ "$(kind "$dev")" = "character special file" ] || fail "-o replaced a special file"

# -r walks past the FIFO (and the socket and device) without opening them.
cp /usr/bin/sleep "$d/dir/prog"
mkfifo "$d/dir/fifo2"
# shellcheck disable=SC2086
timeout 10 "$PKGNOTE" stamp $meta -r "$d/dir" 2>"$T/err" || fail "-r over a FIFO: exit $?: $(cat "$T/err")"
[ "$(note_count "$d/dir/prog")" = 1 ] && [ "$(kind "$d/dir/fifo2")" = fifo ] || fail "-r over a FIFO"

# -o '' is a usage error, not "in place"; so is -o with an empty name after other options.
cp /usr/bin/sleep "$T/input"
cp "$T/input" "$T/input.before"
for form in "-o" "--output"; do
  status=0
  # shellcheck disable=SC2086
  "$PKGNOTE" stamp $meta "$form" '' "$T/input" 2>"$T/err" || status=$?
  [ $status = 2 ] || fail "$form '': exit $status, not 2: $(cat "$T/err")"
  grep -q "^pkgnote: error: --output: an empty name" "$T/err" || fail "$form '' message: $(cat "$T/err")"
  cmp -s "$T/input" "$T/input.before" || fail "$form '' stamped the input"
done
status=0
"$PKGNOTE" stamp $meta --output= "$T/input" 2>"$T/err" || status=$?
[ $status = 2 ] && cmp -s "$T/input" "$T/input.before" || fail "--output= : exit $status: $(cat "$T/err")"
echo "ok: FIFO, device, socket and directory refused at once (exit 2, one line each), -o '' refused"
