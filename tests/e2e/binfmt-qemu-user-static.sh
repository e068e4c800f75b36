#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote binfmt --json` decodes the registrations Debian's qemu-user-static installs exactly:
# magic and mask bytes equal the \x escapes of /usr/lib/binfmt.d/qemu-*.conf (decoded here by
# python, independently), the interpreter symlink resolves to what `readlink -f` says, the flags
# are the conf file's, binfmt-support's copy names its package, and "stamped" agrees with readelf.
set -eu
: "${PKGNOTE:?PKGNOTE must name the built pkgnote}"
[ -f /usr/lib/binfmt.d/qemu-aarch64.conf ] && [ -f /usr/share/binfmts/qemu-aarch64 ] ||
  { echo "skipped: qemu-user-static not installed" >&2; exit 77; }
command -v python3 >/dev/null || { echo "skipped: python3 not installed" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT

# The tool exits 2 if some unrelated registration on this machine is malformed; the lines are
# still printed, and this test checks only qemu's.
"$PKGNOTE" binfmt --json >"$T/list.json" || [ $? -eq 2 ]
for conf in /usr/lib/binfmt.d/qemu-*.conf; do
  readlink -f "$(cut -d: -f7 "$conf")"
done >"$T/resolved"
readelf -n --wide /usr/bin/qemu-aarch64-static >"$T/notes"
if grep -Eq 'FDO_PACKAGING_METADATA|0xcafe1a7e' "$T/notes"; then stamped=true; else stamped=false; fi

python3 - "$T/list.json" "$T/resolved" "$stamped" <<'PY'
import glob, json, os, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
resolved = open(sys.argv[2]).read().split()
stamped = sys.argv[3] == "true"
def unescape(text):
    # \xHH is a byte, anything else stands for itself (qemu-hexagon's magic spells "ELF").
    return re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode())
by_origin = {l["origin"]: l for l in lines}
confs = sorted(glob.glob("/usr/lib/binfmt.d/qemu-*.conf"))
assert len(confs) > 20, confs
for conf, target in zip(confs, resolved):
    fields = open(conf).read().strip().split(":")
    _, name, kind, offset, magic, mask, interp, flags = fields
    got = by_origin.get(conf)
    assert got, "missing " + conf
    assert got["name"] == name and got["source"] == "binfmt.d", got
    assert got["type"] == "magic" and got["offset"] == int(offset or 0), got
    assert bytes.fromhex(got["magic"]) == unescape(magic), (conf, got["magic"])
    assert bytes.fromhex(got["mask"]) == unescape(mask), (conf, got["mask"])
    assert got["interpreter"] == interp, got
    assert got["interpreterPath"] == target, (got["interpreterPath"], target)
    assert sorted(got["flags"]) == sorted(flags), (got["flags"], flags)
    assert got["fixBinary"] and got["preserveArgv0"] and got["openBinary"], got
support = by_origin["/usr/share/binfmts/qemu-aarch64"]
assert support["source"] == "binfmt-support" and support["declaredBy"] == "qemu-user-static"
assert support["flags"] == "PF", support["flags"]
aarch64 = by_origin["/usr/lib/binfmt.d/qemu-aarch64.conf"]
assert aarch64["interpreterPath"] == os.path.realpath("/usr/bin/qemu-aarch64-static")
assert aarch64["stamped"] == stamped and ("package" in aarch64) == stamped, aarch64
print("ok: %d qemu registrations decoded" % len(confs))
PY

# The text form says the same for a person.
"$PKGNOTE" binfmt >"$T/list.txt" || [ $? -eq 2 ]
grep -q '^ *flags: POF (preserve-argv0, open-binary, fix-binary)$' "$T/list.txt"
grep -q "^ *interpreter: /usr/libexec/qemu-binfmt/aarch64-binfmt-P -> $(readlink -f /usr/bin/qemu-aarch64-static)\$" "$T/list.txt"
if [ "$stamped" = false ]; then grep -q '^ *package: unstamped$' "$T/list.txt"; fi
echo "ok: text output"
