#!/bin/sh
# SPDX-License-Identifier: MIT
# Hard links survive `pkgnote stamp`: with -r, every name of a stamped file in the tree (in the
# same directory and across directories) still shares one inode afterwards (stat's inode numbers
# equal, link counts as before), each file is stamped once (the summary counts inodes), and a
# link outside the tree keeps the old bytes with a warning naming the file. In place without -r,
# hard links named together stay shared; a file named alone whose other link was not given is
# stamped with the warning. Stamping the tree again writes nothing.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need gcc
meta="--type deb --name stamp-test --version 1.0-1 --architecture amd64"
printf 'int main(void) { return 0; }\n' >"$T/main.c"
printf 'int lib(void) { return 1; }\n' >"$T/lib.c"
tree=$T/tree
mkdir -p "$tree/usr/bin" "$tree/usr/sbin" "$tree/usr/lib" "$tree/usr/libexec/x"
gcc -O2 "$T/main.c" -o "$tree/usr/bin/prog" || fail "link prog"
ln "$tree/usr/bin/prog" "$tree/usr/bin/prog-alias"        # same directory
ln "$tree/usr/bin/prog" "$tree/usr/sbin/prog"             # another directory
ln "$tree/usr/bin/prog" "$tree/usr/libexec/x/prog"        # deeper
gcc -O2 -shared -fPIC "$T/lib.c" -o "$tree/usr/lib/libx.so.1" || fail "link libx"
ln "$tree/usr/lib/libx.so.1" "$tree/usr/lib/libx-compat.so.1"
ln "$tree/usr/lib/libx.so.1" "$T/outside.so"              # a name outside the tree
printf 'text\n' >"$tree/usr/lib/readme" && ln "$tree/usr/lib/readme" "$tree/usr/bin/readme"
ln -s prog "$tree/usr/bin/prog-symlink"
cp "$tree/usr/lib/libx.so.1" "$T/libx.before"

inode() { stat -c %i "$1"; }
links() { stat -c %h "$1"; }
# shellcheck disable=SC2086
"$PKGNOTE" stamp $meta -r "$tree" 2>"$T/err" || fail "stamp -r: $(cat "$T/err")"
grep -qx "pkgnote: files stamped: 2, unchanged: 0, left alone: 0, errors: 0" "$T/err" ||
  fail "each inode once: $(cat "$T/err")"
grep -qx "pkgnote: warning: '$tree/usr/lib/libx-compat.so.1': 1 other hard link(s) of its file not among the paths given keep the old bytes and no longer share it" "$T/err" ||
  fail "no warning for the link outside the tree: $(cat "$T/err")"
[ "$(grep -c warning "$T/err")" = 1 ] || fail "warnings: $(cat "$T/err")"
p=$(inode "$tree/usr/bin/prog")
for name in usr/bin/prog-alias usr/sbin/prog usr/libexec/x/prog; do
  [ "$(inode "$tree/$name")" = "$p" ] || fail "$name no longer shares usr/bin/prog's inode"
done
[ "$(links "$tree/usr/bin/prog")" = 4 ] || fail "prog has $(links "$tree/usr/bin/prog") links, not 4"
[ "$(note_count "$tree/usr/sbin/prog")" = 1 ] || fail "not stamped"
[ "$(inode "$tree/usr/lib/libx.so.1")" = "$(inode "$tree/usr/lib/libx-compat.so.1")" ] ||
  fail "libx's two names in the tree no longer share an inode"
[ "$(links "$tree/usr/lib/libx.so.1")" = 2 ] || fail "libx: $(links "$tree/usr/lib/libx.so.1") links, not 2"
[ "$(note_count "$tree/usr/lib/libx.so.1")" = 1 ] || fail "libx not stamped"
cmp -s "$T/outside.so" "$T/libx.before" && [ "$(links "$T/outside.so")" = 1 ] ||
  fail "the link outside the tree changed"
[ "$(inode "$tree/usr/lib/readme")" = "$(inode "$tree/usr/bin/readme")" ] || fail "a skipped file's links changed"
[ -L "$tree/usr/bin/prog-symlink" ] || fail "the symbolic link was replaced"
[ -z "$(find "$T" -name "*.pkgnote-tmp-*")" ] ||
  fail "temporary files left: $(find "$T" -name '*.pkgnote-tmp-*')"

# Again: nothing to write, the links untouched.
# shellcheck disable=SC2086
"$PKGNOTE" stamp $meta -r "$tree" 2>"$T/err" || fail "second stamp -r: $(cat "$T/err")"
grep -qx "pkgnote: files stamped: 0, unchanged: 2, left alone: 0, errors: 0" "$T/err" || fail "second: $(cat "$T/err")"
[ "$(inode "$tree/usr/sbin/prog")" = "$p" ] || fail "second stamp replaced prog"

# In place, named together (the second name and a symbolic link to the first given too): shared.
mkdir "$T/named"
gcc -O2 "$T/main.c" -o "$T/named/a" && ln "$T/named/a" "$T/named/b" && ln -s a "$T/named/s" || fail "named"
# shellcheck disable=SC2086
"$PKGNOTE" stamp $meta "$T/named/a" "$T/named/s" "$T/named/b" 2>"$T/err" || fail "stamp a s b: $(cat "$T/err")"
grep -qx "pkgnote: files stamped: 1, unchanged: 0, left alone: 0, errors: 0" "$T/err" || fail "a s b: $(cat "$T/err")"
[ "$(inode "$T/named/a")" = "$(inode "$T/named/b")" ] && [ "$(links "$T/named/a")" = 2 ] ||
  fail "a and b no longer share an inode"
[ -L "$T/named/s" ] && [ "$(note_count "$T/named/b")" = 1 ] || fail "a s b"
# Named alone, the other link is not found: stamped, with the warning; b keeps the old bytes.
cp "$T/named/b" "$T/b.before"
"$PKGNOTE" stamp --type deb --name other --version 2 "$T/named/a" 2>"$T/err" || fail "stamp a alone: $(cat "$T/err")"
grep -qx "pkgnote: warning: '$T/named/a': 1 other hard link(s) of its file not among the paths given keep the old bytes and no longer share it" "$T/err" ||
  fail "a alone: $(cat "$T/err")"
cmp -s "$T/named/b" "$T/b.before" && [ "$(links "$T/named/a")" = 1 ] || fail "a alone: b changed"
echo "ok: stamp -r keeps hard links (same and other directories), stamps each inode once, warns for a link outside"
