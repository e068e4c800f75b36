#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote read --recursive`: sorted depth-first order (symbolic links after the files), each inode once (hard links, links inside
# the tree), symbolic link loops end, links out of the tree followed only with --follow-symlinks,
# non-ELF files, FIFOs and empty files skipped silently, a corrupt ELF file reported as an error
# while the others are still read, the same output for any --jobs, and the summary on stderr.
set -eu
: "${PKGNOTE:?}"
command -v gcc >/dev/null || { echo "skipped: gcc not installed" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-read.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'int main(void) { return 0; }\n' >"$T/main.c"
mkdir -p "$T/tree/a/b" "$T/outside"
gcc -o "$T/tree/a/stamped" "$T/main.c" -Xlinker '--package-metadata={"type":"deb","name":"app"}'
gcc -shared -fPIC -o "$T/tree/a/b/lib.so" "$T/main.c" -Xlinker '--package-metadata={"type":"deb","name":"lib"}'
gcc -o "$T/tree/a/plain" "$T/main.c"
gcc -o "$T/outside/ext" "$T/main.c" -Xlinker '--package-metadata={"type":"deb","name":"ext"}'
printf '#!/bin/sh\n' >"$T/tree/a/script.sh"
: >"$T/tree/a/empty"
mkfifo "$T/tree/a/fifo"
ln "$T/tree/a/stamped" "$T/tree/a/hard"
ln -s .. "$T/tree/a/loop"
ln -s b/lib.so "$T/tree/a/inside-link"
ln -s ../../outside/ext "$T/tree/a/outside"
ln -s outside "$T/tree/a/chain" # names a link in its own directory that leaves the tree

paths() { sed 's/^{"path":"\([^"]*\)".*/\1/' "$1" | sed "s|^$T/||"; }

status=0
"$PKGNOTE" read -r --json "$T/tree" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 1 ] || fail "status $status, expected 1 (plain is unstamped)"
[ ! -s "$T/err" ] || fail "stderr in --json mode: $(cat "$T/err")"
[ "$(paths "$T/out")" = "tree/a/b/lib.so
tree/a/hard
tree/a/plain" ] || fail "walk order or dedup: $(paths "$T/out")"

"$PKGNOTE" read -r --json --follow-symlinks "$T/tree" >"$T/out" || true
[ "$(paths "$T/out")" = "tree/a/b/lib.so
tree/a/hard
tree/a/plain
tree/a/chain" ] || fail "--follow-symlinks: $(paths "$T/out")"

# Human mode: the summary goes to stderr.
"$PKGNOTE" read -r "$T/tree" >"$T/out" 2>"$T/err" || true
[ "$(cat "$T/err")" = "pkgnote: files read: 3, stamped: 2, unstamped: 1, errors: 0" ] ||
  fail "summary: $(cat "$T/err")"
grep -q '^  name:            lib$' "$T/out" || fail "human output: $(cat "$T/out")"
[ -z "$(head -n 1 "$T/out" | grep -v '^path: ')" ] || fail "human output does not start with a path: $(head -n 2 "$T/out")"

# A corrupt ELF file: one error line naming it, status 2, the other files still reported.
cp "$T/tree/a/stamped" "$T/tree/a/corrupt"
printf '\040' | dd of="$T/tree/a/corrupt" bs=1 seek=54 conv=notrunc 2>/dev/null # e_phentsize
status=0
"$PKGNOTE" read -r --json "$T/tree" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 2 ] || fail "corrupt: status $status, expected 2"
[ "$(cat "$T/err")" = "pkgnote: error: '$T/tree/a/corrupt': e_phentsize 0x20 is not 0x38" ] ||
  fail "corrupt: $(cat "$T/err")"
[ "$(wc -l <"$T/out")" = 4 ] || fail "corrupt: other files not reported"
grep -qxF "{\"path\":\"$T/tree/a/corrupt\",\"error\":\"'$T/tree/a/corrupt': e_phentsize 0x20 is not 0x38\"}" "$T/out" ||
  fail "corrupt: no error record: $(cat "$T/out")"

# Arguments that are not ELF files, or directories without --recursive, are errors (status 2).
status=0
"$PKGNOTE" read "$T/tree/a/script.sh" "$T/tree" "$T/tree/a/hard" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 2 ] || fail "bad arguments: status $status"
[ "$(head -2 "$T/err")" = "pkgnote: error: '$T/tree/a/script.sh': not an ELF file
pkgnote: error: '$T/tree': is a directory (use --recursive)" ] || fail "bad arguments: $(cat "$T/err")"
grep -q "^path: *$T/tree/a/hard$" "$T/out" || fail "bad arguments: good input not reported"
[ "$(head -c 5 "$T/out")" = "path:" ] || fail "bad arguments: stdout starts with a blank line"

# Parallel reading keeps the walk order (the walk runs on its own thread while files are read).
"$PKGNOTE" read -r --json --jobs 1 /usr/bin /usr/lib/x86_64-linux-gnu >"$T/j1" 2>/dev/null || true
"$PKGNOTE" read -r --json --jobs 7 /usr/bin /usr/lib/x86_64-linux-gnu >"$T/j7" 2>/dev/null || true
[ -s "$T/j1" ] && cmp -s "$T/j1" "$T/j7" || fail "--jobs 7 output differs from --jobs 1"
echo "ok"
