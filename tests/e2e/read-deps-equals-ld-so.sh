#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --deps` resolves DT_NEEDED as the loader does: for at least 200 programs and libraries of
# this machine's /usr/bin and /usr/lib/x86_64-linux-gnu, each DT_NEEDED name's "resolved" path is
# the file (by real path) that glibc's own ld.so --list maps for that name, and a name ld.so
# does not find is null. ld.so --list prints the whole closure; only the file's own DT_NEEDED
# names are compared. (ld.so uses /etc/ld.so.cache; pkgnote reads /etc/ld.so.conf instead.)
. "$(dirname "$0")/core-helpers.sh"
LDSO=/lib64/ld-linux-x86-64.so.2
[ -x "$LDSO" ] || { echo "skipped: not an x86-64 glibc system" >&2; exit 77; }
need readelf

# Dynamic ELF files with DT_NEEDED, the first 150 of each directory in name order.
for dir in /usr/bin /usr/lib/x86_64-linux-gnu; do
  find "$dir" -maxdepth 1 -type f | LC_ALL=C sort | while read -r f; do
    readelf -d "$f" 2>/dev/null | grep -q '(NEEDED)' && echo "$f"
  done | head -150
done >"$T/files"
[ "$(wc -l <"$T/files")" -ge 200 ] || fail "fewer than 200 dynamic files: $(wc -l <"$T/files")"

status=0
tr '\n' '\0' <"$T/files" | xargs -0 "$PKGNOTE" read --deps --json >"$T/deps.json" 2>"$T/err" || status=$?
# xargs says 123 when a run exits 1 (some file unstamped); errors would be on stderr.
[ "$status" -le 1 ] || [ "$status" = 123 ] || fail "read --deps: status $status: $(cat "$T/err")"
grep -q 'error' "$T/err" && fail "read --deps: $(cat "$T/err")"

python3 - "$T/deps.json" "$LDSO" <<'PY'
import json, os, re, subprocess, sys
reports = [json.loads(line) for line in open(sys.argv[1])]
compared = names = 0
problems = []
for report in reports:
    path = report["path"]
    run = subprocess.run([sys.argv[2], "--list", path], capture_output=True, text=True)
    if run.returncode != 0:
        continue  # ld.so refuses it (e.g. a library it cannot load as a main program)
    mapped = {}
    for line in run.stdout.splitlines():
        m = re.match(r"\s*(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))$", line)
        if m:
            mapped[m.group(1)] = m.group(3)
    files_compared = 0
    for name in report["needed"]:
        ours = report["resolved"].get(name, "missing")
        if name not in mapped:
            # ld.so itself (libc.so.6 needs ld-linux-x86-64.so.2): loaded already, no "=>".
            if name.startswith("ld-linux"):
                continue
            problems.append(f"{path}: ld.so --list does not list {name}")
            continue
        theirs = mapped[name]
        same = (ours is None and theirs is None) or (
            ours is not None and theirs is not None and
            os.path.realpath(ours) == os.path.realpath(theirs))
        if not same:
            problems.append(f"{path}: {name}: pkgnote {ours}, ld.so {theirs}")
        names += 1
        files_compared = 1
    compared += files_compared
for p in problems[:20]:
    print(p, file=sys.stderr)
if problems:
    sys.exit(f"FAIL: {len(problems)} differences")
if compared < 200:
    sys.exit(f"FAIL: only {compared} files compared")
print(f"ok: {compared} files, {names} DT_NEEDED names as ld.so resolves them")
PY
