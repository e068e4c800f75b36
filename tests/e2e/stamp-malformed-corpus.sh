#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote stamp` over every file of the malformed corpus (tests/malformed/cases), each on a copy,
# in place: no crash or hang; exit 2 with one error line naming the file and the file left
# byte-identical with no temporary file beside it; or exit 0 and the result reads back with
# exactly the new note.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
refused=0
stamped=0
for case in "$PKGNOTE_SOURCE_DIR"/tests/malformed/cases/*; do
  name=$(basename "$case")
  rm -rf "$work/d" && mkdir "$work/d"
  cp "$case" "$work/d/$name"
  status=0
  timeout 20 "$PKGNOTE" stamp --type deb --name corpus --version 1 "$work/d/$name" \
    >"$work/out" 2>"$work/err" || status=$?
  case $status in
  2)
    refused=$((refused + 1))
    if ! cmp -s "$case" "$work/d/$name"; then
      echo "FAIL $name: refused but changed" >&2; failures=$((failures + 1))
    fi
    if [ "$(ls "$work/d" | wc -l)" != 1 ]; then
      echo "FAIL $name: left files behind: $(ls "$work/d")" >&2; failures=$((failures + 1))
    fi
    if [ "$(grep -c "^pkgnote: error: '$work/d/$name': " "$work/err")" != 1 ]; then
      echo "FAIL $name: no single error line naming the file:" >&2; cat "$work/err" >&2
      failures=$((failures + 1))
    fi
    ;;
  0)
    stamped=$((stamped + 1))
    if ! "$PKGNOTE" read --json "$work/d/$name" 2>/dev/null |
        grep -q '"package":{"type":"deb","name":"corpus","version":"1"}'; then
      echo "FAIL $name: stamped but the note does not read back" >&2; failures=$((failures + 1))
    fi
    ;;
  *)
    echo "FAIL $name: exit status $status" >&2; cat "$work/err" >&2
    failures=$((failures + 1))
    ;;
  esac
done
echo "stamp over the malformed corpus: $refused refused, $stamped stamped, $failures failures"
[ "$failures" = 0 ]
