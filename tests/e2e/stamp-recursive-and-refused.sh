#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote stamp -r` on a tree stamps every ELF executable and shared object and leaves objects,
# a core (gcore), a detached debug file, symbolic links and non-ELF files byte-identical, exit 0.
# Files that cannot be stamped when named (not ELF, ET_REL, a core, truncated headers, a program
# header table that lies) exit 2 with a message naming each, each left byte-identical, while the
# good file given with them is still stamped.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need gcc gdb objcopy
printf 'int main(void) { return 0; }\n' >"$T/main.c"
printf 'int lib(void) { return 1; }\n' >"$T/lib.c"
tree=$T/tree
mkdir -p "$tree/usr/bin" "$tree/usr/lib/sub" "$tree/usr/share/doc"
gcc -O2 "$T/main.c" -o "$tree/usr/bin/prog" || fail "link prog"
gcc -O2 -static "$T/main.c" -o "$tree/usr/bin/prog-static" || fail "link prog-static"
gcc -O2 -shared -fPIC "$T/lib.c" -o "$tree/usr/lib/sub/libx.so.1" || fail "link libx"
gcc -c "$T/lib.c" -o "$tree/usr/lib/sub/lib.o" || fail "compile lib.o"
ln -s libx.so.1 "$tree/usr/lib/sub/libx.so"
ln -s ../bin/prog "$tree/usr/lib/prog-link"
printf 'not an ELF file\n' >"$tree/usr/share/doc/README"
printf '#!/bin/sh\necho hi\n' >"$tree/usr/bin/script"
chmod +x "$tree/usr/bin/script"
mkdir -p "$tree/usr/lib/debug/.build-id/ab" "$tree/var/crash"
objcopy --only-keep-debug "$tree/usr/bin/prog" "$tree/usr/lib/debug/.build-id/ab/cdef.debug"
sleep_copy=$T/sleeper
cp /usr/bin/sleep "$sleep_copy"
core=$(gcore_of "$sleep_copy" 100)
mv "$core" "$tree/var/crash/core.sleeper"
cp -a "$tree" "$T/before"
args="--type deb --name stamp-test --version 1.0-1"
# shellcheck disable=SC2086
"$PKGNOTE" stamp $args -r "$tree" >"$T/out" 2>&1 || fail "stamp -r exit $?: $(cat "$T/out")"
for f in usr/bin/prog usr/bin/prog-static usr/lib/sub/libx.so.1; do
  [ "$(note_count "$tree/$f")" = 1 ] || fail "-r did not stamp $f"
done
for f in usr/lib/sub/lib.o usr/share/doc/README usr/bin/script usr/lib/debug/.build-id/ab/cdef.debug \
  var/crash/core.sleeper; do
  cmp -s "$tree/$f" "$T/before/$f" || fail "-r changed $f"
done
[ "$(readlink "$tree/usr/lib/sub/libx.so")" = libx.so.1 ] && [ "$(readlink "$tree/usr/lib/prog-link")" = ../bin/prog ] ||
  fail "-r changed a symbolic link"
[ "$(find "$tree" | wc -l)" = "$(find "$T/before" | wc -l)" ] || fail "-r left files behind: $(find "$tree")"

# Refused inputs, each byte-identical afterwards, beside one good file that is stamped.
bad=$T/bad
mkdir -p "$bad"
printf 'hello\n' >"$bad/text"
cp "$tree/usr/lib/sub/lib.o" "$bad/object.o"
head -c 100 "$T/before/usr/bin/prog" >"$bad/truncated"
cp "$T/before/usr/bin/prog" "$bad/lying-phnum"
# e_phnum (offset 56, 64-bit little-endian) says 0xffff program headers: far past the end.
printf '\377\377' | dd of="$bad/lying-phnum" bs=1 seek=56 conv=notrunc status=none
cp "$T/before/usr/bin/prog" "$bad/lying-phoff"
# e_phoff (offset 32) points past the end of the file.
printf '\000\000\000\100' | dd of="$bad/lying-phoff" bs=1 seek=33 conv=notrunc status=none
# A core file (ET_CORE): e_type at offset 16 set to 4.
cp "$T/before/usr/bin/prog" "$bad/core"
printf '\004\000' | dd of="$bad/core" bs=1 seek=16 conv=notrunc status=none
cp -a "$bad" "$T/bad.before"
cp "$T/before/usr/bin/prog" "$bad/good"
status=0
# shellcheck disable=SC2086
"$PKGNOTE" stamp $args "$bad/text" "$bad/object.o" "$bad/truncated" "$bad/good" "$bad/lying-phnum" \
  "$bad/lying-phoff" "$bad/core" >"$T/bad.out" 2>"$T/bad.err" || status=$?
[ $status = 2 ] || fail "refused inputs: exit $status, not 2: $(cat "$T/bad.err")"
for f in text object.o truncated lying-phnum lying-phoff core; do
  cmp -s "$bad/$f" "$T/bad.before/$f" || fail "$f: refused but changed"
  grep -q "^pkgnote: error: '$bad/$f': " "$T/bad.err" || fail "$f: no message names it: $(cat "$T/bad.err")"
done
[ "$(note_count "$bad/good")" = 1 ] || fail "the good file beside the refused ones was not stamped"
[ "$(ls -A "$bad" | wc -l)" = 7 ] || fail "temporary files left behind: $(ls -A "$bad")"
echo "ok: -r stamps the 3 ELF files of a tree and skips the other 7; 6 refused inputs exit 2 untouched"
