#!/bin/sh
# SPDX-License-Identifier: MIT
# An image of two gzip layers with 200,000 entries (tests/e2e/image-many-entries.py): whiteouts of
# a file and of a directory of 1000 files, opaque directories (one emptied of an ELF file below,
# one keeping its own layer's file), hard links in both layers. `pkgnote read --json` gives exactly
# the records, in order, that `pkgnote read -r --json` gives for the final filesystem's ELF files
# written out as a tree (the generator works them out by hand), each with the layer that supplied
# it; and its peak RSS grows by less than 200 bytes an entry over an image of 1000 entries
# (docs/images.md says about 90: the margin is for allocator and libc differences; a copy of the
# paths per entry, as before issue 28, was over 900).
set -eu
: "${PKGNOTE:?}" "${PKGNOTE_SOURCE_DIR:?}"
for tool in gcc python3 /usr/bin/time; do
  command -v $tool >/dev/null || { echo "FAIL: $tool not installed (scripts/install-deps)" >&2; exit 1; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-many.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$T/progs"
printf 'int main(void) { return 0; }\n' >"$T/main.c"
for p in a b c d e f; do
  gcc -o "$T/progs/$p" "$T/main.c" \
    -Xlinker "--package-metadata={\"type\":\"deb\",\"name\":\"prog-$p\",\"version\":\"1.$p\"}"
done
gen="$PKGNOTE_SOURCE_DIR/tests/e2e/image-many-entries.py"
python3 "$gen" "$T/many" --entries 150000 --upper 50000 --programs "$T/progs" --reference "$T/ref"
python3 "$gen" "$T/few" --entries 500 --upper 500 --programs "$T/progs"

/usr/bin/time -f %M -o "$T/few.kb" "$PKGNOTE" read --json "$T/few" >/dev/null ||
  fail "few: status $?"
status=0
/usr/bin/time -f %M -o "$T/many.kb" "$PKGNOTE" read --json "$T/many" >"$T/got" 2>"$T/err" ||
  status=$?
[ "$status" = 0 ] || fail "status $status: $(cat "$T/err")"
"$PKGNOTE" read -r --json "$T/ref" >"$T/want" || fail "read -r of the reference tree"

python3 - "$T/got" "$T/want" "$T/ref" "$T/many" <<'PY' || fail "records: $(cat "$T/got")"
import json, os, sys
got = [json.loads(line) for line in open(sys.argv[1])]
want = [json.loads(line) for line in open(sys.argv[2])]
ref, layout = sys.argv[3], sys.argv[4]
index = json.load(open(os.path.join(layout, "index.json")))
manifest = json.load(open(os.path.join(layout, "blobs/sha256",
                                       index["manifests"][0]["digest"][7:])))
lower, upper = (layer["digest"] for layer in manifest["layers"])
for record in want:
    record["path"] = record["path"][len(ref):]
assert [w["path"] for w in want] == ["/bulk/d0000/elf", "/opt/x/c", "/usr/bin/app"], want
layers = {"/bulk/d0000/elf": lower, "/opt/x/c": upper, "/usr/bin/app": lower}
for g, w in zip(got, want):
    assert g.pop("image") == layout and g.pop("ref") == "many", g
    assert g.pop("platform") == "linux/amd64", g
    assert g.pop("layer") == layers[w["path"]], (g, w)
assert got == want, (got, want)
PY

few=$(cat "$T/few.kb")
many=$(cat "$T/many.kb")
per=$(( (many - few) * 1024 / 199000 ))
echo "peak RSS: $few KiB (1000 entries), $many KiB (200,000): $per bytes per entry"
[ "$per" -lt 200 ] || fail "$per bytes per entry (docs/images.md: about 90)"
echo ok
