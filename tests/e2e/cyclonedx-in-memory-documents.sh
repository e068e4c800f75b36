#!/bin/sh
# SPDX-License-Identifier: MIT
# The CycloneDX documents of container images (one image: metadata.component; several: container
# components), of a core with stamped and unstamped modules and of odd notes (no name, an osCpe
# that is no CPE, a non-UTF-8 path), written by the unit test binary from reports built in
# memory, are valid against CycloneDX's official schema.
. "$(dirname "$0")/cyclonedx-helpers.sh"
tests=$(dirname "$(dirname "$PKGNOTE")")/tests/pkgnote_tests
[ -x "$tests" ] || fail "no unit test binary at $tests"
node_tools
PKGNOTE_CYCLONEDX_SAMPLES=$T "$tests" --gtest_filter=CycloneDxTest.WritesDocumentsForTheSchemaCheck \
  >"$T/gtest.log" 2>&1 || { cat "$T/gtest.log" >&2; fail "pkgnote_tests"; }
set -- "$T"/*.json
[ $# = 3 ] || fail "expected 3 documents, got $#"
check_documents "$@" >/dev/null
[ "$(json_get "$T/one-image.json" 'd["metadata"]["component"]["name"]')" = web:1 ] || fail "one image"
[ "$(json_get "$T/two-images.json" 'sorted(c["name"] for c in d["components"] if c["type"] == "container")')" = "['debian.tar', 'web:1']" ] ||
  fail "two images"
echo ok
