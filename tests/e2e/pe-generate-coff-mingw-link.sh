#!/bin/sh
# SPDX-License-Identifier: MIT
# `generate --format coff` gives an object that mingw-w64's GNU ld takes as one more input: x86_64
# and i686 programs and DLLs linked with it carry .pkgnote, which pkgnote reads back ("format":"pe",
# the machine, the CodeView build id that pefile reads too), objdump -h lists as read-only data
# and pefile finds NUL-terminated and NUL-padded. The programs run under wine64 (x86_64; Debian's
# wine64 has no 32-bit loader) as they do without the note. lld (ld.lld's MinGW driver) links the
# x86_64 object too, and lld-link the objects of all four --coff-machine values.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/pe-helpers.sh"

payload='{"type":"deb","name":"hello-pe","version":"1.0-1","osCpe":"cpe:/o:debian:debian_linux:12"}'
for arch in x86_64 i686; do
  case $arch in x86_64) machine=amd64 name=x86-64 fmt=pe-x86-64 align='2\*\*3' ;;
                i686) machine=i386 name=i386 fmt=pe-i386 align='2\*\*2' ;; esac
  "$PKGNOTE" generate --format coff --coff-machine $machine --type deb --name hello-pe \
    --version 1.0-1 --os-cpe cpe:/o:debian:debian_linux:12 -o "$T/note-$arch.o"
  x86_64-w64-mingw32-objdump -h "$T/note-$arch.o" >"$T/objh"
  grep -q "file format $fmt\$" "$T/objh" || fail "$arch object: $(cat "$T/objh")"
  grep -A1 '\.pkgnote' "$T/objh" | grep -q "$align" || fail "$arch object alignment: $(cat "$T/objh")"
  grep -A1 '\.pkgnote' "$T/objh" | grep -q 'CONTENTS, ALLOC, LOAD, READONLY, DATA' ||
    fail "$arch object flags: $(cat "$T/objh")"

  build_pair $arch "$T/$arch" "$T/note-$arch.o"
  build_pair $arch "$T/plain-$arch"
  for f in hello.exe lib.dll; do
    file=$T/$arch/$f
    json=$(pe_json "$file")
    case $f in hello.exe) type=executable ;; *) type=dll ;; esac
    want_id=$($PYTHON -c 'import pefile,sys; p=pefile.PE(sys.argv[1]); print(next(d.entry.Signature_String for d in p.DIRECTORY_ENTRY_DEBUG if d.struct.Type == 2).lower())' "$file")
    [ "$json" = "{\"path\":\"$file\",\"format\":\"pe\",\"peType\":\"$type\",\"machine\":\"$name\",\"buildId\":\"$want_id\",\"package\":$payload}" ] ||
      fail "$arch $f: $json"
    x86_64-w64-mingw32-objdump -h "$file" | grep -A1 '\.pkgnote' | grep -q 'CONTENTS, ALLOC, LOAD, READONLY, DATA' ||
      fail "$arch $f: objdump -h: $(x86_64-w64-mingw32-objdump -h "$file" | grep -A1 pkgnote)"
    $PYTHON "$PE_CHECK" "$file" "$payload" || fail "$arch $f: pefile"
  done
  # Without the object: no package, the same reader.
  json=$(pe_json "$T/plain-$arch/lib.dll")
  case $json in *'"package"'*) fail "$arch plain: $json" ;; esac
  echo "ok: $arch program and DLL linked with the object"
done

# A walk (-r) picks the PE files up by content, whatever their names.
cp "$T/x86_64/lib.dll" "$T/x86_64/renamed.bin"
"$PKGNOTE" read -r --json "$T/x86_64" 2>/dev/null >"$T/walk" || true
[ "$(grep -c '"format":"pe"' "$T/walk")" = 3 ] || fail "read -r: $(cat "$T/walk")"
grep -q "\"path\":\"$T/x86_64/renamed.bin\",\"format\":\"pe\",\"peType\":\"dll\"" "$T/walk" ||
  fail "read -r: renamed DLL: $(cat "$T/walk")"
echo "ok: read -r finds the PE files by content"

if [ -n "$WINE" ]; then
  want=$(wine_run "$T/plain-x86_64/hello.exe")
  [ "$want" = "hello from pe 42
status 3" ] || fail "wine64 plain: $want"
  got=$(wine_run "$T/x86_64/hello.exe")
  [ "$got" = "$want" ] || fail "wine64 with note: $got"
  echo "ok: wine64 runs the program linked with the note as the one without"
else
  fail "wine64 not installed (scripts/install-deps)"
fi

# lld's MinGW driver (ld.lld -m i386pep) through gcc, when it links a plain program here.
if x86_64-w64-mingw32-gcc -fuse-ld=lld -o "$T/lld.exe" "$T/lib.c" -shared 2>/dev/null; then
  x86_64-w64-mingw32-gcc -fuse-ld=lld -shared -o "$T/lld.dll" "$T/lib.c" "$T/note-x86_64.o"
  json=$(pe_json "$T/lld.dll")
  case $json in *"\"package\":$payload"*) ;; *) fail "lld: $json" ;; esac
  $PYTHON "$PE_CHECK" "$T/lld.dll" "$payload" || fail "lld: pefile"
  echo "ok: lld (MinGW driver) links the object"
else
  echo "note: x86_64-w64-mingw32-gcc -fuse-ld=lld does not link here; lld not checked"
fi

# lld-link (lld 14, MSVC-style driver) takes the object for every --coff-machine: a DLL of the
# section alone, which pkgnote reads with its machine; llvm-objdump names the object's format.
command -v lld-link-14 >/dev/null 2>&1 || fail "lld-link-14 not installed (lld-14, scripts/install-deps)"
for pair in amd64:x86-64:coff-x86-64 i386:i386:coff-i386 arm64:arm64:coff-arm64 armnt:armnt:coff-arm; do
  machine=${pair%%:*} rest=${pair#*:}
  name=${rest%%:*} format=${rest#*:}
  "$PKGNOTE" generate --format coff --coff-machine $machine --name lld-$machine -o "$T/lld-$machine.o"
  llvm-objdump-14 -h "$T/lld-$machine.o" | grep -q "file format $format\$" ||
    fail "llvm-objdump $machine: $(llvm-objdump-14 -h "$T/lld-$machine.o")"
  seh= link=$machine
  [ $machine = i386 ] && seh=/safeseh:no link=x86 # no code in the object, hence no SEH table
  [ $machine = armnt ] && link=arm                   # lld-link's name for IMAGE_FILE_MACHINE_ARMNT
  lld-link-14 /dll /noentry /nodefaultlib /machine:$link $seh "$T/lld-$machine.o" \
    /out:"$T/lld-$machine.dll" >/dev/null
  json=$(pe_json "$T/lld-$machine.dll")
  [ "$json" = "{\"path\":\"$T/lld-$machine.dll\",\"format\":\"pe\",\"peType\":\"dll\",\"machine\":\"$name\",\"package\":{\"name\":\"lld-$machine\"}}" ] ||
    fail "lld-link $machine: $json"
done
echo "ok: lld-link links the object for amd64, i386, arm64 and armnt"
