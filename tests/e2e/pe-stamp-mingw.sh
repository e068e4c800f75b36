#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote stamp` on linked mingw-w64 programs and DLLs (x86_64 and i686, with GNU ld's checksum
# and COFF symbol table): one new .pkgnote section, checked by pefile (read-only initialized
# data, the payload NUL-terminated and NUL-padded, SizeOfImage, the checksum pefile computes, every
# other section header unchanged); read back by pkgnote; the x86_64 program and its stamped DLL run
# under wine64 with the same output. Stamping again with the same values writes nothing; with a
# longer payload the section is replaced, still one; a program linked with a note gets it
# replaced.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/pe-helpers.sh"

payload='{"type":"deb","name":"stamped-pe","version":"2.0-1"}'
stamp() { "$PKGNOTE" stamp --type deb --name stamped-pe --version 2.0-1 "$@"; }

for arch in x86_64 i686; do
  build_pair $arch "$T/$arch"
  for f in hello.exe lib.dll; do
    file=$T/$arch/$f
    cp "$file" "$file.orig"
    stamp "$file" 2>"$T/err" || fail "$arch $f: $(cat "$T/err")"
    grep -q 'files stamped: 1,' "$T/err" || fail "$arch $f: $(cat "$T/err")"
    $PYTHON "$PE_CHECK" "$file" "$payload" "$file.orig" || fail "$arch $f: pefile"
    json=$(pe_json "$file")
    case $json in *"\"package\":$payload}") ;; *) fail "$arch $f: $json" ;; esac
    cp "$file" "$file.once"
    stamp "$file" 2>"$T/err"
    grep -q 'unchanged: 1,' "$T/err" || fail "$arch $f again: $(cat "$T/err")"
    cmp -s "$file" "$file.once" || fail "$arch $f: stamping again changed the file"
    cp "$file" "$file.long"
    "$PKGNOTE" stamp --type deb --name stamped-pe --version 2.0-1 --set "appCpe=$(head -c 900 /dev/zero | tr '\0' a)" \
      "$file.long" 2>"$T/err" && fail "$arch $f: a CPE that is not one accepted"
    "$PKGNOTE" stamp --type deb --name stamped-pe --version 2.0-1 --set "long=$(head -c 900 /dev/zero | tr '\0' a)" \
      "$file.long" 2>"$T/err" || fail "$arch $f longer: $(cat "$T/err")"
    $PYTHON "$PE_CHECK" "$file.long" "$(printf '%s' "$payload" | sed 's/}$//'),\"long\":\"$(head -c 900 /dev/zero | tr '\0' a)\"}" "$file.orig" ||
      fail "$arch $f longer: pefile"
  done
  echo "ok: $arch program and DLL stamped, checked by pefile, restamped"
done

[ -n "$WINE" ] || fail "wine64 not installed (scripts/install-deps)"
# The program loads lib.dll from its directory: the stamped one now.
got=$(wine_run "$T/x86_64/hello.exe")
[ "$got" = "hello from pe 42
status 3" ] || fail "wine64 stamped: $got"
echo "ok: wine64 runs the stamped program with its stamped DLL: $got" | tr '\n' ' '
echo

# A program linked with a note: replaced, still one section.
"$PKGNOTE" generate --format coff --name linked -o "$T/note.o"
x86_64-w64-mingw32-gcc -o "$T/linked.exe" "$T/hello.c" "$T/x86_64/lib.dll" "$T/note.o"
stamp "$T/linked.exe" 2>"$T/err" || fail "linked: $(cat "$T/err")"
$PYTHON "$PE_CHECK" "$T/linked.exe" "$payload" || fail "linked: pefile"
echo "ok: a linked-in .pkgnote is replaced"
