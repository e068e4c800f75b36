#!/bin/sh
# SPDX-License-Identifier: MIT
# Compressed ELF files (elfutils ships its test binaries bzip2-compressed): a stamped program and
# its stamped shared library, built by gcc with GNU ld's --package-metadata, compressed by the real
# bzip2, gzip, xz, zstd and lz4 tools. Each report equals the plain file's but for the path, in
# JSON and in text, and the bzip2 file's package is the note `readelf -n` prints for the plain
# file; a bzip2 file that is not ELF is skipped by a walk, and refused as "not an ELF file" when
# named.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc readelf bzip2 gzip xz zstd lz4

app='{"type":"deb","name":"app","version":"2.0-1","architecture":"amd64"}'
lib='{"type":"deb","name":"libfoo","version":"1.0","architecture":"amd64"}'
stamped_app "$app" "$lib"

for file in app libfoo.so; do
  plain=$T/$file
  for tool in bzip2 gzip xz zstd lz4; do
    packed=$plain.$tool
    $tool -q -c "$plain" >"$packed"
    for format in --json ""; do
      "$PKGNOTE" read $format "$plain" 2>&1 | sed "s|$plain|PATH|g" >"$T/a"
      "$PKGNOTE" read $format "$packed" >"$T/b.raw" 2>&1 || fail "$packed: exit $?: $(cat "$T/b.raw")"
      sed "s|$packed|PATH|g" "$T/b.raw" >"$T/b"
      cmp -s "$T/a" "$T/b" || { diff "$T/a" "$T/b" >&2; fail "$packed $format differs"; }
    done
  done
  # The bzip2 file's package is the note `readelf -n` prints for the plain file, byte for byte.
  readelf -n "$plain" | sed -n 's/^ *Packaging Metadata: //p' >"$T/readelf.json"
  [ -s "$T/readelf.json" ] || fail "$file: readelf -n shows no package note"
  "$PKGNOTE" read --json "$plain.bzip2" | python3 -c '
import json, sys
report = json.loads(sys.stdin.readline())
print(json.dumps(report["package"], separators=(",", ":"), ensure_ascii=False))' >"$T/ours.json"
  cmp -s "$T/readelf.json" "$T/ours.json" ||
    fail "$file.bzip2: package $(cat "$T/ours.json"), readelf -n: $(cat "$T/readelf.json")"
done
echo "ok: bzip2, gzip, xz, zstd, lz4 ELF files: reports equal the plain files'"

mkdir "$T/tree"
cp "$T/app.bzip2" "$T/tree/app.bz2"
printf 'a changelog, not ELF\n' | bzip2 >"$T/tree/changelog.bz2"
"$PKGNOTE" read -r --json "$T/tree" >"$T/tree.json" || fail "tree: exit $?"
[ "$(wc -l <"$T/tree.json")" -eq 1 ] || fail "tree: $(wc -l <"$T/tree.json") reports, expected 1"
status=0
"$PKGNOTE" read "$T/tree/changelog.bz2" 2>"$T/err" >/dev/null || status=$?
[ "$status" = 2 ] || fail "named bzip2 non-ELF file: exit $status"
[ "$(head -n 1 "$T/err")" = "pkgnote: error: '$T/tree/changelog.bz2': not an ELF file" ] ||
  fail "named bzip2 non-ELF file: $(cat "$T/err")"
echo "ok: a walk skips a bzip2 file that is not ELF; naming it is an error"
