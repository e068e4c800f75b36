#!/bin/sh
# SPDX-License-Identifier: MIT
# README.md stays a front door: at most 200 lines, starting with the two commands (scripts/demo,
# scripts/check), and every file it links to (docs/, man pages, LICENSE) exists.
set -eu
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
readme=$PKGNOTE_SOURCE_DIR/README.md
lines=$(wc -l < "$readme")
[ "$lines" -le 200 ] || fail "README.md has $lines lines (at most 200: move detail to docs/ or man/)"
head -n 15 "$readme" | grep -q '^scripts/demo ' || fail "README.md does not start with scripts/demo"
head -n 15 "$readme" | grep -q '^scripts/check ' || fail "README.md does not start with scripts/check"
for link in $(grep -o '](\([^)#]*\)' "$readme" | sed 's/^](//' | grep -v '^[a-z]*:' | sort -u); do
  [ -e "$PKGNOTE_SOURCE_DIR/$link" ] || fail "README.md links to $link, which does not exist"
done
echo "ok: README.md is $lines lines and its links resolve"
