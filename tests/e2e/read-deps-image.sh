#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --deps` of an OCI image resolves inside the image's final filesystem: a program needs two
# libraries of a lower layer, one of which an upper layer deletes (a whiteout): that one is
# unresolved, the other found through a symbolic link of the image, as the loader in a container
# of the image would find them. The --format cyclonedx document of the image is valid by
# CycloneDX's schema, its every edge's target is a component, and the unresolved soname is a
# property of the program's component. A third library is found through the image's own
# /etc/ld.so.conf and its include of ld.so.conf.d.
. "$(dirname "$0")/cyclonedx-helpers.sh"
need umoci readelf
node_tools

umoci init --layout "$T/oci" >/dev/null
umoci new --image "$T/oci:app" >/dev/null
umoci unpack --rootless --image "$T/oci:app" "$T/bundle" >/dev/null
R="$T/bundle/rootfs"
mkdir -p "$R/usr/bin" "$R/usr/lib/x86_64-linux-gnu" "$R/etc"
printf 'int f(void) { return 1; }\n' >"$T/f.c"
gcc -shared -fPIC -nostdlib -Wl,-soname,libgone.so.1 -o "$R/usr/lib/x86_64-linux-gnu/libgone.so.1" "$T/f.c"
gcc -shared -fPIC -nostdlib -Wl,-soname,libkept.so.1 -o "$R/usr/lib/x86_64-linux-gnu/libkept.so.1.0" "$T/f.c"
ln -s libkept.so.1.0 "$R/usr/lib/x86_64-linux-gnu/libkept.so.1"
# A library only the image's own ld.so.conf (through an include of ld.so.conf.d) points at.
mkdir -p "$R/opt/vendor/lib" "$R/etc/ld.so.conf.d"
gcc -shared -fPIC -nostdlib -Wl,-soname,libvendor.so.1 -o "$R/opt/vendor/lib/libvendor.so.1" "$T/f.c"
printf 'include /etc/ld.so.conf.d/*.conf\n' >"$R/etc/ld.so.conf"
printf '/opt/vendor/lib\n' >"$R/etc/ld.so.conf.d/vendor.conf"
stamped_program "$T/prog0" --type deb --name app --version 2.0 --architecture amd64 --os debian --os-version 12
gcc -o "$R/usr/bin/app" "$T/main.c" -Wl,-dT,"$T/note.ld" -Wl,--no-as-needed \
  "$R/usr/lib/x86_64-linux-gnu/libgone.so.1" "$R/usr/lib/x86_64-linux-gnu/libkept.so.1" \
  "$R/opt/vendor/lib/libvendor.so.1"
umoci repack --image "$T/oci:app" "$T/bundle" >/dev/null
rm "$R/usr/lib/x86_64-linux-gnu/libgone.so.1"
umoci repack --image "$T/oci:app" "$T/bundle" >/dev/null # an upper layer with the whiteout

status=0
"$PKGNOTE" read --deps --json "$T/oci" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 1 ] || fail "status $status (libkept is unstamped): $(cat "$T/err")"
python3 - "$T/out" <<'PY' || fail "resolved in the image: $(cat "$T/out")"
import json, sys
reports = {r["path"]: r for r in map(json.loads, open(sys.argv[1]))}
app = reports["/usr/bin/app"]
assert app["needed"] == ["libgone.so.1", "libkept.so.1", "libvendor.so.1", "libc.so.6"], app
assert app["resolved"] == {"libgone.so.1": None,
                           "libkept.so.1": "/usr/lib/x86_64-linux-gnu/libkept.so.1.0",
                           "libvendor.so.1": "/opt/vendor/lib/libvendor.so.1",
                           "libc.so.6": None}, app["resolved"]
assert "/usr/lib/x86_64-linux-gnu/libgone.so.1" not in reports
PY

export SOURCE_DATE_EPOCH=1700000000
"$PKGNOTE" read --format cyclonedx "$T/oci" >"$T/bom.json" 2>"$T/err" || true
check_documents "$T/bom.json" >/dev/null
python3 - "$T/bom.json" <<'PY' || fail "cyclonedx: $(cat "$T/bom.json")"
import json, sys
d = json.load(open(sys.argv[1]))
refs = {c["bom-ref"] for c in d["components"]} | {d["metadata"]["component"]["bom-ref"]}
edges = 0
for dep in d["dependencies"]:
    assert dep["ref"] in refs, dep
    for target in dep.get("dependsOn", []):
        assert target in refs, ("edge to a missing component", dep)
        edges += 1
app = [c for c in d["components"] if c["name"] == "app"][0]
kept = [c for c in d["components"] if c["name"] == "/usr/lib/x86_64-linux-gnu/libkept.so.1.0"][0]
deps = [x for x in d["dependencies"] if x["ref"] == app["bom-ref"]][0]["dependsOn"]
assert kept["bom-ref"] in deps, deps
props = {(p["name"], p["value"]) for p in app["properties"]}
assert ("pkgnote:unresolved", "libgone.so.1") in props, props
assert ("pkgnote:unresolved", "libc.so.6") in props, props
PY
"$PKGNOTE" read --format cyclonedx "$T/oci" >"$T/bom2.json" 2>/dev/null || true
cmp "$T/bom.json" "$T/bom2.json" || fail "not reproducible"
echo ok
