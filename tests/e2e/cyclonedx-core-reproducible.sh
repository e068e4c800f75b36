#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --format cyclonedx` on a gcore of a running stamped program (its modules are the
# occurrences) and on a tree: with SOURCE_DATE_EPOCH two runs, and runs with the inputs in another
# order, are byte-identical; without it the serial number changes. Errors keep read's exit codes
# and the document is still printed, schema-valid, for what could be read.
. "$(dirname "$0")/cyclonedx-helpers.sh"
need gdb gcore
node_tools

app_json='{"type":"rpm","name":"app","version":"1.0-1.fc40","architecture":"x86_64","osCpe":"cpe:/o:fedoraproject:fedora:40"}'
lib_json='{"type":"apk","os":"wolfi","name":"libfoo","version":"2.0-r1","architecture":"x86_64"}'
stamped_app "$app_json" "$lib_json"
core=$(gcore_of "$T/app")

export SOURCE_DATE_EPOCH=1700000000
"$PKGNOTE" read --format cyclonedx "$core" >"$T/core1.json" || true
"$PKGNOTE" read --format cyclonedx "$core" >"$T/core2.json" || true
cmp "$T/core1.json" "$T/core2.json" || fail "core: two runs differ"
[ "$(json_get "$T/core1.json" 'd["metadata"]["timestamp"]')" = 2023-11-14T22:13:20Z ] ||
  fail "timestamp is not SOURCE_DATE_EPOCH"
# The serial number is Python's uuid5 (URL namespace) of the document without its serial line.
python3 - "$T/core1.json" <<'PY' || fail "serialNumber is not the uuid5 of the document"
import re, sys, uuid
text = open(sys.argv[1], encoding="utf-8").read()
serial = re.search(r'^  "serialNumber": "urn:uuid:([0-9a-f-]+)",\n', text, re.M)
body = text[:serial.start()] + text[serial.end():]
sys.exit(0 if str(uuid.uuid5(uuid.NAMESPACE_URL, body)) == serial.group(1) else 1)
PY
for module in "$T/app" "$T/libfoo.so"; do
  [ "$(json_get "$T/core1.json" "[o['additionalContext'] for c in d['components'] for o in c.get('evidence', {}).get('occurrences', []) if o['location'] == '$module']")" = \
    "[\"core '$core'\"]" ] || fail "no occurrence of $module in the core"
done

# A tree in two orders, and the same files named one by one in reverse.
mkdir -p "$T/tree/b" "$T/tree/a"
cp "$T/app" "$T/tree/b/app"
cp "$T/libfoo.so" "$T/tree/a/libfoo.so"
gcc -o "$T/tree/a/plain" "$T/lib.c" -shared -fPIC
"$PKGNOTE" read -r -j 2 --format cyclonedx "$T/tree" >"$T/tree1.json" && fail "unstamped tree: status 0"
"$PKGNOTE" read -r -j 1 --format cyclonedx "$T/tree" >"$T/tree2.json" || true
cmp "$T/tree1.json" "$T/tree2.json" || fail "tree: two runs differ"
"$PKGNOTE" read --format cyclonedx "$T/tree/b/app" "$T/tree/a/plain" "$T/tree/a/libfoo.so" \
  >"$T/files-reversed.json" || true
"$PKGNOTE" read --format cyclonedx "$T/tree/a/libfoo.so" "$T/tree/a/plain" "$T/tree/b/app" \
  >"$T/files.json" || true
cmp "$T/files.json" "$T/files-reversed.json" || fail "input order changes the document"

unset SOURCE_DATE_EPOCH
"$PKGNOTE" read --format cyclonedx "$T/app" >"$T/now1.json"
"$PKGNOTE" read --format cyclonedx "$T/app" >"$T/now2.json"
[ "$(json_get "$T/now1.json" 'd["serialNumber"]')" != "$(json_get "$T/now2.json" 'd["serialNumber"]')" ] ||
  fail "serial number repeats without SOURCE_DATE_EPOCH"
year=$(date -u +%Y)
case $(json_get "$T/now1.json" 'd["metadata"]["timestamp"]') in "$year"-*) ;; *) fail "timestamp not now" ;; esac

# Errors: a missing input is exit 2 with one message, and the rest is still a document.
status=0
"$PKGNOTE" read --format cyclonedx "$T/missing" "$T/app" >"$T/partial.json" 2>"$T/err" || status=$?
[ "$status" = 2 ] || fail "missing input: status $status"
[ "$(cat "$T/err")" = "pkgnote: error: '$T/missing': no such file or directory" ] ||
  fail "missing input: $(cat "$T/err")"
[ "$(json_get "$T/partial.json" '[c["name"] for c in d["components"] if c["type"] == "library"]')" = "['app']" ] ||
  fail "partial document"
status=0
SOURCE_DATE_EPOCH=yesterday "$PKGNOTE" read --format cyclonedx "$T/app" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 2 ] && [ ! -s "$T/out" ] || fail "bad SOURCE_DATE_EPOCH: status $status"
grep -q "^pkgnote: error: SOURCE_DATE_EPOCH: 'yesterday' is not a number" "$T/err" || fail "$(cat "$T/err")"
status=0
"$PKGNOTE" read --json --format cyclonedx "$T/app" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 2 ] && [ ! -s "$T/out" ] || fail "--json with --format: status $status"
# --format json is --json, byte for byte.
"$PKGNOTE" read --format json "$T/app" "$core" >"$T/a" || true
"$PKGNOTE" read --json "$T/app" "$core" >"$T/b" || true
cmp "$T/a" "$T/b" || fail "--format json differs from --json"

check_documents "$T"/core1.json "$T"/tree1.json "$T"/files.json "$T"/now1.json \
  "$T"/partial.json >"$T/decoded"
grep -qx 'pkg:rpm/fedora/app@1.0-1.fc40?arch=x86_64&distro=fedora-40	rpm	fedora	app	1.0-1.fc40	arch=x86_64&distro=fedora-40' "$T/decoded" ||
  fail "app purl: $(cat "$T/decoded")"
grep -qx 'pkg:apk/wolfi/libfoo@2.0-r1?arch=x86_64&distro=wolfi	apk	wolfi	libfoo	2.0-r1	arch=x86_64&distro=wolfi' "$T/decoded" ||
  fail "libfoo purl: $(cat "$T/decoded")"
echo ok
