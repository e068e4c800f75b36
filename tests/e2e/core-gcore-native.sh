#!/bin/sh
# SPDX-License-Identifier: MIT
# A gcore of a native process, its executable and shared library stamped by GNU ld's own
# --package-metadata: `pkgnote read` finds both modules through NT_FILE and reads their notes and
# build-ids from the core's memory ("source":"core"), agreeing with readelf on the files and with
# `systemd-analyze inspect-elf` on the core; the text form names the executable first.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb readelf

app='{"type":"deb","name":"app","version":"2.0-1","architecture":"amd64"}'
lib='{"type":"deb","name":"libfoo","version":"1.0","architecture":"amd64","appCpe":"cpe:/a:foo:foo:1.0"}'
stamped_app "$app" "$lib"
core=$(gcore_of "$T/app")

"$PKGNOTE" read --json "$core" >"$T/out.json" || fail "exit $? for a stamped core"
[ "$(module_field "$T/out.json" "$T/app" package)" = "$app" ] || fail "app package"
[ "$(module_field "$T/out.json" "$T/libfoo.so" package)" = "$lib" ] || fail "libfoo package"
[ "$(module_field "$T/out.json" "$T/app" source)" = core ] || fail "app source"
[ "$(module_field "$T/out.json" "$T/libfoo.so" source)" = core ] || fail "libfoo source"
for f in app libfoo.so; do
  id=$(readelf -n "$T/$f" | sed -n 's/^ *Build ID: //p')
  [ "$(module_field "$T/out.json" "$T/$f" buildId)" = "$id" ] || fail "$f build-id"
done
grep -q '"elfType":"core","elfArchitecture":"AMD x86-64"' "$T/out.json" || fail "core identity"
echo "ok: json"

"$PKGNOTE" read "$core" >"$T/out.txt"
sed -n 4p "$T/out.txt" | grep -qx "executable: *$T/app" || fail "executable line: $(cat "$T/out.txt")"
grep -q "\"executable\":\"$T/app\"" "$T/out.json" || fail "the JSON lacks the executable the text shows"
grep -q '^    appCpe: *cpe:/a:foo:foo:1.0$' "$T/out.txt" || fail "library fields in text"
echo "ok: text"

if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze inspect-elf --json=short "$core" >"$T/systemd.json" 2>/dev/null || true
  python3 - "$T/systemd.json" "$T/out.json" "$T" <<'PY' || fail "systemd-analyze disagrees"
import json, os, sys
theirs = json.load(open(sys.argv[1]))
ours = {m["path"]: m for m in json.loads(open(sys.argv[2]).readline())["modules"]}
checked = 0
for name, value in theirs.items():
    if not isinstance(value, dict) or "name" not in value:
        continue
    # systemd names a library by its soname, the executable by its path.
    path = name if name.startswith("/") else os.path.join(sys.argv[3], name)
    assert path in ours, (name, list(ours))
    for key in ("type", "name", "version", "architecture"):
        assert ours[path]["package"][key] == value[key], (name, key)
    checked += 1
assert checked == 2, theirs
print("ok: systemd-analyze inspect-elf agrees on %d modules" % checked)
PY
fi
