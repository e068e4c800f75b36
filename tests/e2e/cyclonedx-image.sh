#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --format cyclonedx` of an OCI layout made by umoci: with one image (one ref, or --ref)
# the image is metadata.component (name the ref, version the manifest digest index.json names),
# occurrences are paths inside the image; with two refs each image is a container component.
# Every document is valid against CycloneDX's schema. Skipped (77) by a pkgnote that does not
# read images (no --ref option).
. "$(dirname "$0")/cyclonedx-helpers.sh"
need umoci
"$PKGNOTE" read --help | grep -q -- '--ref' || { echo "skipped: this pkgnote reads no images" >&2; exit 77; }
node_tools

umoci init --layout "$T/oci" >/dev/null
umoci new --image "$T/oci:web" >/dev/null
umoci unpack --rootless --image "$T/oci:web" "$T/bundle" >/dev/null
root="$T/bundle/rootfs"
mkdir -p "$root/usr/bin" "$root/usr/lib"
stamped_program "$root/usr/bin/curl" --type rpm --name curl --version 8.6.0-7.fc40 \
  --architecture x86_64 --os-cpe cpe:/o:fedoraproject:fedora:40
stamped_program "$root/usr/bin/openssl" --type apk --name openssl --version 3.6.0-r0 \
  --architecture x86_64 --os wolfi --os-version 20230201
gcc -shared -fPIC -o "$root/usr/lib/libplain.so" "$T/main.c"
umoci repack --image "$T/oci:web" "$T/bundle" >/dev/null
# A second ref, web2: web and a layer that deletes curl (a whiteout).
umoci unpack --rootless --image "$T/oci:web" "$T/bundle2" >/dev/null
rm "$T/bundle2/rootfs/usr/bin/curl"
umoci repack --image "$T/oci:web2" "$T/bundle2" >/dev/null # the bundle's base is web
digest_of() {
  python3 -c '
import json, sys
for m in json.load(open(sys.argv[1]))["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == sys.argv[2]:
        print(m["digest"])' "$T/oci/index.json" "$1"
}
web=$(digest_of web)
[ -n "$web" ] && [ -n "$(digest_of web2)" ] || fail "umoci made no refs web and web2: $(cat "$T/oci/index.json")"

export SOURCE_DATE_EPOCH=1700000000
status=0
"$PKGNOTE" read --ref web --format cyclonedx "$T/oci" >"$T/one.json" 2>"$T/err" || status=$?
[ "$status" = 1 ] || fail "one image with an unstamped library: status $status: $(cat "$T/err")"
"$PKGNOTE" read --format cyclonedx "$T/oci" >"$T/two.json" 2>"$T/err" || true
check_documents "$T/one.json" "$T/two.json" >/dev/null

[ "$(json_get "$T/one.json" '(d["metadata"]["component"]["type"], d["metadata"]["component"]["name"], d["metadata"]["component"]["version"])')" = \
  "('container', 'web', '$web')" ] || fail "metadata.component: $(json_get "$T/one.json" 'd["metadata"].get("component")')"
[ "$(json_get "$T/one.json" 'sorted((c["name"], [o["location"] for o in c["evidence"]["occurrences"]]) for c in d["components"] if c["type"] in ("library", "file"))')" = \
  "[('/usr/lib/libplain.so', ['/usr/lib/libplain.so']), ('curl', ['/usr/bin/curl']), ('openssl', ['/usr/bin/openssl'])]" ] ||
  fail "components of the image: $(json_get "$T/one.json" '[c["name"] for c in d["components"]]')"
[ "$(json_get "$T/one.json" 'sorted(d["dependencies"][-1]["dependsOn"]) == sorted(c["bom-ref"] for c in d["components"] if c["type"] in ("library", "file"))')" = True ] ||
  fail "the image does not depend on its components"

[ "$(json_get "$T/two.json" '"component" in d["metadata"]')" = False ] || fail "two images: metadata.component"
[ "$(json_get "$T/two.json" 'sorted((c["name"], c["version"]) for c in d["components"] if c["type"] == "container")')" = \
  "[('web', '$web'), ('web2', '$(digest_of web2)')]" ] || fail "two images: containers"
[ "$(json_get "$T/two.json" '[len(c["evidence"]["occurrences"]) for c in d["components"] if c["name"] == "openssl"]')" = "[2]" ] ||
  fail "openssl is in both images"
"$PKGNOTE" read --format cyclonedx "$T/oci" >"$T/two-again.json" 2>/dev/null || true
cmp "$T/two.json" "$T/two-again.json" || fail "two runs differ"
echo ok
