#!/bin/sh
# SPDX-License-Identifier: MIT
# A program with a .note.dlopen note made as systemd's ELF_NOTE_DLOPEN makes it (a section
# .note.dlopen holding an FDO note of type 0x407c0c0a whose descriptor is a JSON array), and a
# package note: `read --deps` shows the entries and resolves their sonames in JSON and text, and
# --format cyclonedx makes each an optional edge (property pkgnote:dlopen:FEATURE) to the
# library's component, present in the document and valid by CycloneDX's schema. A malformed note
# is a "dlopenError" field, not a failed read.
. "$(dirname "$0")/cyclonedx-helpers.sh"
need readelf
node_tools
need dpkg-query
lib=$(dpkg-query -L zlib1g:amd64 2>/dev/null | grep '/libz\.so\.1$' | head -1)
[ -n "$lib" ] || fail "zlib1g has no libz.so.1 (scripts/install-deps installs it)"
dlopen_note() { # dlopen_note OUT.s JSON
  cat >"$1" <<ASM
	.section .note.dlopen,"a",@note
	.p2align 2
	.long 4, 2f - 1f, 0x407c0c0a
	.asciz "FDO"
1:	.asciz "$2"
2:	.p2align 2
	.section .note.GNU-stack,"",@progbits
ASM
}
# The library it may dlopen is zlib (the first soname of the entry is nowhere: the next is
# taken); a second entry names a library nobody has.
dlopen_note "$T/dlopen.s" '[{\"feature\":\"zlib\",\"description\":\"Support zlib compression\",\"priority\":\"recommended\",\"soname\":[\"libnothere.so.9\",\"libz.so.1\"]},{\"feature\":\"gone\",\"soname\":[\"libnone.so.1\"]}]'
gcc -c -o "$T/dlopen.o" "$T/dlopen.s"
stamped_program "$T/plain" --type deb --name dlopener --version 1.0 --architecture amd64 \
  --os debian --os-version 12
gcc -o "$T/prog" "$T/main.c" "$T/dlopen.o" -Wl,-dT,"$T/note.ld"
readelf -n "$T/prog" | grep -q '407c0c0a' || fail "no dlopen note: $(readelf -n "$T/prog")"

"$PKGNOTE" read --deps --json "$T/prog" >"$T/out" 2>"$T/err" || fail "status $?: $(cat "$T/err")"
python3 - "$T/out" "$lib" <<'PY' || fail "json: $(cat "$T/out")"
import json, os, sys
d = json.loads(open(sys.argv[1]).read())
assert d["dlopen"] == [
    {"feature": "zlib", "description": "Support zlib compression", "priority": "recommended",
     "soname": ["libnothere.so.9", "libz.so.1"]},
    {"feature": "gone", "soname": ["libnone.so.1"]}], d["dlopen"]
assert d["needed"] == ["libc.so.6"], d["needed"]
assert d["resolved"]["libnothere.so.9"] is None and d["resolved"]["libnone.so.1"] is None, d
assert os.path.realpath(d["resolved"]["libz.so.1"]) == os.path.realpath(sys.argv[2]), d
PY
"$PKGNOTE" read --deps "$T/prog" 2>/dev/null | grep -q "^dlopen: *zlib: libnothere.so.9 | libz.so.1 (recommended) => /" ||
  fail "text: $("$PKGNOTE" read --deps "$T/prog" 2>&1)"

# CycloneDX of the program and zlib: zlib (dlopen) is an optional edge; libc (needed, not read)
# a property naming it, as is the entry that resolves to nothing.
export SOURCE_DATE_EPOCH=1700000000
status=0
"$PKGNOTE" read --format cyclonedx "$T/prog" "$(realpath "$lib")" >"$T/bom.json" 2>"$T/err" || status=$?
[ "$status" -le 1 ] || fail "cyclonedx: status $status: $(cat "$T/err")"
check_documents "$T/bom.json" >/dev/null
python3 - "$T/bom.json" "$lib" <<'PY' || fail "cyclonedx: $(cat "$T/bom.json")"
import json, sys
d = json.load(open(sys.argv[1]))
refs = {c["bom-ref"] for c in d["components"]}
for dep in d["dependencies"]:
    assert dep["ref"] in refs, dep
    for target in dep.get("dependsOn", []):
        assert target in refs, ("edge to a missing component", dep)
prog = [c for c in d["components"] if c["name"] == "dlopener"][0]
props = {(p["name"], p["value"]) for p in prog.get("properties", [])}
optional = [v for n, v in props if n == "pkgnote:dlopen:zlib"]
assert len(optional) == 1, props
edges = [x for x in d["dependencies"] if x["ref"] == prog["bom-ref"]][0]["dependsOn"]
assert optional[0] in edges, (optional, edges)
assert ("pkgnote:unresolvedDlopen:gone", "libnone.so.1") in props, props
assert len(edges) == 2, edges  # the OS and zlib
assert any(n == "pkgnote:neededOutside" and v.startswith("libc.so.6 /") for n, v in props), props
PY
"$PKGNOTE" read --format cyclonedx "$T/prog" "$(realpath "$lib")" >"$T/bom2.json" 2>/dev/null || true
cmp "$T/bom.json" "$T/bom2.json" || fail "not reproducible"

# A note that is not a JSON array: an error field, the record still read (and the package).
dlopen_note "$T/bad.s" '{\"feature\":\"x\"}'
gcc -c -o "$T/bad.o" "$T/bad.s"
gcc -o "$T/bad" "$T/main.c" "$T/bad.o" -Wl,-dT,"$T/note.ld"
"$PKGNOTE" read --deps --json "$T/bad" >"$T/out" 2>"$T/err" || fail "malformed note: status $?"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["dlopenError"] == "dlopen note 1: not a JSON array" and d["package"]["name"] == "dlopener", d' "$T/out" ||
  fail "malformed: $(cat "$T/out")"
echo ok
