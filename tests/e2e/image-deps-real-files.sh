#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --deps` of a two-layer OCI image made from this machine's real files (programs of
# /usr/libexec, libraries of /usr/lib/x86_64-linux-gnu, perl's modules) gives each ELF file the
# same DT_NEEDED, DT_RUNPATH, DT_RPATH and dlopen note as `read -r --deps` of the same files as a
# directory, and no error: a layer is one forward stream, so the member's reader must capture the
# dynamic string table (which lies before PT_DYNAMIC in the file) on its way to PT_DYNAMIC. The
# same from stdin, a pipe read in one pass.
set -eu
: "${PKGNOTE:?}"
for tool in umoci jq python3; do
  command -v $tool >/dev/null || { echo "skipped: $tool not installed" >&2; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-image-deps.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$T"

# Copies the regular ELF files named PATTERN (at most COUNT, below 4 MiB) found under the DIRS
# (only in them, not below, when DEEP is 0) into tree TREE.
copy_elf() { # COUNT TREE PATTERN DEEP DIRS...
  python3 - "$@" <<'PY' || fail "no ELF files for $2"
import os, shutil, sys
import fnmatch
count, tree, pattern, deep, roots = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
found = []
for root in roots:
    for top, dirs, files in os.walk(root):
        dirs.sort()
        if deep == "0":
            dirs[:] = []
        for name in sorted(files):
            path = os.path.join(top, name)
            if not fnmatch.fnmatch(name, pattern):
                continue
            if os.path.islink(path) or not os.path.isfile(path) or os.path.getsize(path) >= 4 << 20:
                continue
            try:
                with open(path, "rb") as f:
                    if f.read(4) != b"\x7fELF":
                        continue
            except OSError:
                continue
            found.append(path)
found = sorted(set(found))[:count]
for path in found:
    os.makedirs(tree + os.path.dirname(path), exist_ok=True)
    shutil.copy2(path, tree + path)
sys.exit(0 if found else 1)
PY
}
copy_elf 80 l1 '*' 1 /usr/libexec
copy_elf 60 l1 '*.so*' 0 /usr/lib/x86_64-linux-gnu
copy_elf 120 l2 '*.so' 1 /usr/lib/x86_64-linux-gnu/perl*

umoci init --layout lay
umoci new --image lay:base
umoci insert --rootless --image lay:base --tag one l1 / >/dev/null
umoci insert --rootless --image lay:one --tag two l2 / >/dev/null
mkdir tree
cp -a l1/. tree/
cp -a l2/. tree/

# What --deps says of a file, without where its libraries were found.
deps() { jq -c '{path, error, needed, runpath, rpath, dlopen, dlopenError, warnings}' | sort; }
status=0
"$PKGNOTE" read -r --deps --json tree >dir.json 2>dir.err || status=$?
[ "$status" != 2 ] || fail "directory: status 2: $(head -5 dir.err)"
jq -c --arg r "$T/tree" '.path |= ltrimstr($r) | .path |= ltrimstr("tree")' dir.json | deps >dir.txt
grep -q '"needed":\["' dir.txt || fail "no DT_NEEDED read from the directory"

status=0
"$PKGNOTE" read --deps --json --ref two lay >image.json 2>image.err || status=$?
grep -i 'error' image.err | head -5 >&2 || true
[ "$status" != 2 ] || fail "image: status 2: $(head -5 image.err)"
deps <image.json >image.txt
diff dir.txt image.txt >&2 || fail "the image's dependency fields differ from the directory's"

# stdin: an OCI archive through a pipe, read once.
tar -C lay -cf image.tar .
status=0
"$PKGNOTE" read --deps --json --ref two - <image.tar >stdin.json 2>stdin.err || status=$?
[ "$status" != 2 ] || fail "stdin: status 2: $(head -5 stdin.err)"
deps <stdin.json >stdin.txt
diff dir.txt stdin.txt >&2 || fail "stdin's dependency fields differ from the directory's"
echo "ok: $(wc -l <dir.txt) files"
