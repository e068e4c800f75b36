#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --format cyclonedx` on notes pkgnote did not write (Debian's own systemd, stamped by
# Debian's build) and on Fedora-style (osCpe, epoch, appCpe), Wolfi-style apk, unknown-type and
# hostile-character notes linked into real programs, read as files and as a tree: every document
# is valid against CycloneDX's official schema, and packageurl-js decodes each purl back to the
# note's own values (as readelf prints Debian's note).
. "$(dirname "$0")/cyclonedx-helpers.sh"
need readelf
node_tools

# Debian's systemd: the note as readelf decodes it is the oracle.
debian=
for f in $(dpkg -L systemd libsystemd-shared 2>/dev/null |
  grep -E '/s?bin/systemctl$|/libsystemd-shared-[0-9]+\.so$'); do
  [ -f "$f" ] && readelf -n "$f" | grep -q 'Packaging Metadata:' && debian="$debian $f"
done
[ -n "$debian" ] || fail "no installed systemd binary carries a package note"
set -- $debian
readelf -n "$1" | sed -n 's/^ *Packaging Metadata: //p' >"$T/debian-note.json"
expected_debian=$(python3 -c '
import json, sys
n = json.load(open(sys.argv[1]))
assert n["os"] == "Debian" and n["type"] == "deb", n
print("\t".join(["deb", "debian", n["name"], n["version"],
                 "arch=%s&distro=debian" % n["architecture"]]))' "$T/debian-note.json")

# Stamped here, in a tree.
mkdir -p "$T/tree/usr/bin" "$T/tree/usr/lib"
stamped_program "$T/tree/usr/bin/curl" --type rpm --name curl --version 2:8.6.0-7.fc40 \
  --architecture x86_64 --os-cpe cpe:/o:fedoraproject:fedora:40 \
  --app-cpe cpe:/a:haxx:curl:8.6.0 --debuginfod-url https://debuginfod.fedoraproject.org/
stamped_program "$T/tree/usr/bin/openssl" --type apk --name openssl --version 3.6.0-r0 \
  --architecture x86_64 --os wolfi --os-version 20230201
stamped_program "$T/tree/usr/bin/odd" --type deb --name 'od d/x@y?z#%+é' \
  --version '1:2.0+dfsg~rc1-3' --architecture 'am d&64' --os Debian --os-version 12
stamped_program "$T/tree/usr/bin/gentoo" --type ebuild --name app-misc/foo --version 1.0 \
  --os gentoo --set buildHost=builder1
gcc -o "$T/tree/usr/lib/unstamped" "$T/main.c"
printf 'not elf\n' >"$T/tree/usr/lib/README"

status=0
"$PKGNOTE" read --format cyclonedx "$@" >"$T/debian.json" || status=$?
[ "$status" = 0 ] || fail "systemd: status $status"
status=0
"$PKGNOTE" read -r --format cyclonedx "$T/tree" >"$T/tree.json" 2>"$T/tree.err" || status=$?
[ "$status" = 1 ] || fail "tree with an unstamped file: status $status, want 1"
[ ! -s "$T/tree.err" ] || fail "tree: stderr $(cat "$T/tree.err")"

check_documents "$T/debian.json" "$T/tree.json" | cut -f2- | sort >"$T/decoded"
printf '%s\n' "$expected_debian" \
  "rpm	fedora	curl	8.6.0-7.fc40	arch=x86_64&distro=fedora-40&epoch=2" \
  "apk	wolfi	openssl	3.6.0-r0	arch=x86_64&distro=wolfi-20230201" \
  "deb	debian	od d/x@y?z#%+é	1:2.0+dfsg~rc1-3	arch=am d&64&distro=debian-12" \
  "generic		app-misc/foo	1.0	distro=gentoo" | sort >"$T/expected"
diff "$T/expected" "$T/decoded" || fail "packageurl-js decodes other values than the notes'"

# One systemd component for all its files, its debuginfod URL kept, depending on Debian.
[ "$(json_get "$T/debian.json" 'len([c for c in d["components"] if c["type"] == "library"])')" = 1 ] ||
  fail "systemd files are not one component"
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["debugInfoUrl"])' "$T/debian-note.json")
[ "$(json_get "$T/debian.json" '[c for c in d["components"] if c["type"] == "library"][0]["externalReferences"][0]["url"]')" = "$want" ] ||
  fail "debugInfoUrl lost"
[ "$(json_get "$T/debian.json" 'sorted(o["location"] for o in d["components"][1]["evidence"]["occurrences"])')" = \
  "$(python3 -c 'import sys; print(sorted(sys.argv[1:]))' "$@")" ] || fail "systemd occurrences"
[ "$(json_get "$T/debian.json" '[c["name"] for c in d["components"] if c["type"] == "operating-system"]')" = "['debian']" ] ||
  fail "Debian OS component"

# The tree: CPEs, the OS components, the unstamped file, the unknown key.
[ "$(json_get "$T/tree.json" '[c.get("cpe") for c in d["components"] if c["name"] == "curl"]')" = \
  "['cpe:/a:haxx:curl:8.6.0']" ] || fail "appCpe"
[ "$(json_get "$T/tree.json" 'sorted((c["name"], c.get("version"), c.get("cpe")) for c in d["components"] if c["type"] == "operating-system")')" = \
  "[('debian', '12', None), ('fedora', '40', 'cpe:/o:fedoraproject:fedora:40'), ('gentoo', None, None), ('wolfi', '20230201', None)]" ] ||
  fail "OS components: $(json_get "$T/tree.json" '[c for c in d["components"] if c["type"] == "operating-system"]')"
[ "$(json_get "$T/tree.json" '[c["name"] for c in d["components"] if c["type"] == "file"]')" = \
  "['$T/tree/usr/lib/unstamped']" ] || fail "unstamped file component"
build_id=$(readelf -n "$T/tree/usr/lib/unstamped" | sed -n 's/^ *Build ID: //p')
[ "$(json_get "$T/tree.json" '[p["value"] for c in d["components"] if c["type"] == "file" for p in c["properties"] if p["name"] == "pkgnote:buildId"]')" = \
  "['$build_id']" ] || fail "build-id of the unstamped file is not readelf's $build_id"
[ "$(json_get "$T/tree.json" '[p["value"] for c in d["components"] for p in c.get("properties", []) if p["name"] == "pkgnote:package:buildHost"]')" = \
  "['builder1']" ] || fail "unknown key lost"
echo ok
