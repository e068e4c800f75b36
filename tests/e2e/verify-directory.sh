#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote verify` of a directory (a build root): the expected keys come from the metadata options
# (required), and only they are compared; a stamped program is ok, one stamped for another version
# is a mismatch naming both, an unstamped one is named; symbolic links, objects (ET_REL), files
# under /usr/lib/debug and --ignore matches are skipped; a hard link is checked once.
set -eu
command -v gcc >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/usr/bin" "$root/usr/lib/debug/usr/bin" "$root/usr/lib/x"
printf 'int main(void){return 0;}\n' > "$work/m.c"
"$PKGNOTE" generate --type rpm --name emu --version 1.0-1 --architecture x86_64 --os-cpe auto -o "$work/ok.ld"
"$PKGNOTE" generate --type rpm --name emu --version 0.9-1 --architecture x86_64 -o "$work/old.ld"
gcc -Wl,-dT,"$work/ok.ld" -o "$root/usr/bin/emu" "$work/m.c"
gcc -Wl,-dT,"$work/old.ld" -o "$root/usr/bin/emu-old" "$work/m.c"
gcc -o "$root/usr/bin/emu-plain" "$work/m.c"
cp "$root/usr/bin/emu-plain" "$root/usr/lib/debug/usr/bin/emu.debug"
cp "$root/usr/bin/emu-plain" "$root/usr/lib/x/vendored"
gcc -c -o "$root/usr/lib/x/m.o" "$work/m.c"
ln "$root/usr/bin/emu" "$root/usr/bin/emu-hardlink"
ln -s emu "$root/usr/bin/emu-symlink"

status=0
"$PKGNOTE" verify --type rpm --name emu --version 1.0-1 --architecture x86_64 --ignore '/usr/lib/x/*' "$root" > "$work/out" 2>&1 || status=$?
[ "$status" = 1 ] || fail "exit $status, expected 1: $(cat "$work/out")"
grep -q "/usr/bin/emu-old: mismatch: version expected '1.0-1', found '0.9-1'" "$work/out" || fail "no mismatch line: $(cat "$work/out")"
grep -q "/usr/bin/emu-plain: unstamped" "$work/out" || fail "no unstamped line"
grep -q "root: checked 3, ok 1, unstamped 1, mismatch 1, skipped 4, errors 0" "$work/out" || fail "summary: $(tail -n1 "$work/out")"

"$PKGNOTE" verify --json --rpm emu-1.0-1.x86_64 --ignore '/usr/lib/x/*' --ignore '*-old' --ignore '*-plain' "$root" > "$work/json" || fail "only the stamped program left: not ok"
grep -q '"path":"/usr/bin/emu","verdict":"ok","expected":{"type":"rpm","name":"emu","version":"1.0-1","architecture":"x86_64"},"found":{"type":"rpm","name":"emu","version":"1.0-1","architecture":"x86_64",' "$work/json" || fail "json: $(cat "$work/json")"

status=0
"$PKGNOTE" verify "$root" 2> "$work/err" >/dev/null || status=$?
[ "$status" = 2 ] && grep -q "a directory needs the expected metadata" "$work/err" || fail "no metadata: exit $status, $(cat "$work/err")"
echo "ok: directories verified against the metadata options"
