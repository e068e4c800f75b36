#!/bin/sh
# SPDX-License-Identifier: MIT
# Separate debuginfo files of a stamped program, made by eu-strip -f (what Fedora's
# find-debuginfo runs; it keeps the stripped file's program headers, so the PT_NOTE points at
# bytes that are no longer the notes) and by objcopy --only-keep-debug: pkgnote reads their
# SHT_NOTE sections as readelf -n and eu-readelf -n do, and names the program's package and
# build-id, exit 0, without a warning about the note segments.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc eu-strip eu-readelf objcopy readelf

# With this payload's length, the moved PT_NOTE of the eu-strip -f file cuts the build-id note
# (a walk of it fails); with other lengths the walk may happen to stay in step.
package='{"type":"deb","name":"hello","version":"1.0"}'
"$PKGNOTE" generate --type deb --name hello --version 1.0 -o "$T/note.ld" || fail "generate"
printf 'int main(void) { return 0; }\n' >"$T/hello.c"
gcc "$T/hello.c" -o "$T/hello" -Wl,-dT,"$T/note.ld" || fail "link"
id=$(readelf -n "$T/hello" | sed -n 's/^ *Build ID: //p')
cp "$T/hello" "$T/stripped"
eu-strip -f "$T/hello.eu.debug" "$T/stripped" || fail "eu-strip -f"
objcopy --only-keep-debug "$T/hello" "$T/hello.objcopy.debug" || fail "objcopy"

for debug in "$T/hello.eu.debug" "$T/hello.objcopy.debug"; do
  [ "$(eu-readelf -n "$debug" | sed -n 's/^ *Build ID: //p')" = "$id" ] ||
    fail "$debug: eu-readelf disagrees on the build-id"
  "$PKGNOTE" read --json "$debug" >"$T/out.json" || fail "$debug: exit $?"
  python3 - "$T/out.json" "$id" "$package" <<'PY' || fail "$debug: $(cat "$T/out.json")"
import json, sys
report = json.loads(open(sys.argv[1]).readline())
assert report["buildId"] == sys.argv[2], report
assert report["package"] == json.loads(sys.argv[3]), report
PY
  "$PKGNOTE" read "$debug" >/dev/null 2>"$T/err" || fail "$debug: text exit $?"
  ! grep -q warning "$T/err" || fail "$debug: $(cat "$T/err")"
  echo "ok: $(basename "$debug")"
done
