#!/bin/sh
# SPDX-License-Identifier: MIT
# `ps --format cyclonedx` of a running stamped program: the document passes the CycloneDX 1.6
# schema check the SBOM tests use; the library and the program are components whose occurrences
# name the process ("process PID (app)") at the mapped paths; with SOURCE_DATE_EPOCH the bytes
# repeat.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/cyclonedx-helpers.sh"
. "$PKGNOTE_SOURCE_DIR/tests/e2e/ps-helpers.sh"
node_tools

mkdir "$T/lib"
stamped_library "$T/lib/libv.so" 1
paused_program "$T/app" "$T/lib"
start_bg "$T/app"
pid=$PID
wait_maps "$pid" libv.so

SOURCE_DATE_EPOCH=1700000000 "$PKGNOTE" ps --format cyclonedx "$pid" >"$T/ps.cdx.json" ||
  fail "ps --format cyclonedx: exit $?"
check_documents "$T/ps.cdx.json" >"$T/purls.txt"
occurrence() {
  json_get "$T/ps.cdx.json" "sorted(o['location'] + ' | ' + o.get('additionalContext', '') for c in d['components'] if c.get('name') == '$1' for o in c['evidence']['occurrences'])"
}
[ "$(occurrence libv)" = "['$T/lib/libv.so | process $pid (app)']" ] ||
  fail "libv occurrences: $(occurrence libv)"
[ "$(occurrence app)" = "['$T/app | process $pid (app)']" ] || fail "app: $(occurrence app)"
grep -q '^pkg:deb/\([a-z]*/\)\{0,1\}libv@1?arch=amd64' "$T/purls.txt" ||
  fail "libv purl: $(cat "$T/purls.txt")"
SOURCE_DATE_EPOCH=1700000000 "$PKGNOTE" ps --format cyclonedx "$pid" >"$T/again.cdx.json"
cmp -s "$T/ps.cdx.json" "$T/again.cdx.json" || fail "not reproducible"
echo "ok: a schema-valid SBOM naming the process"

"$PKGNOTE" ps --format cyclonedx >"$T/all.cdx.json" 2>/dev/null || fail "all processes: exit $?"
check_documents "$T/all.cdx.json" >/dev/null
echo "ok: the SBOM of every process passes too"
