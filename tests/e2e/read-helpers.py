#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Helpers for tests/e2e/read-*.sh (not a test itself).

strip-section-headers FILE: zero e_shoff, e_shnum and e_shstrndx, as objcopy
--strip-section-headers (binutils 2.41+) would, so only PT_NOTE can find the note.

check-against-systemd JSONL EXPECTED: compare every line `pkgnote read --json`
printed with `systemd-analyze inspect-elf --json=short` on the same file and
with the metadata the file was stamped with. EXPECTED is a JSON file mapping
path -> {"elfType": ..., "package": {...} or null}.
"""
import json
import struct
import subprocess
import sys


def strip_section_headers(path):
    with open(path, "r+b") as f:
        ident = f.read(16)
        assert ident[:4] == b"\x7fELF", path
        order = "<" if ident[5] == 1 else ">"
        if ident[4] == 1:
            f.seek(0x20); f.write(struct.pack(order + "I", 0))
            f.seek(0x30); f.write(struct.pack(order + "HH", 0, 0))
        else:
            f.seek(0x28); f.write(struct.pack(order + "Q", 0))
            f.seek(0x3C); f.write(struct.pack(order + "HH", 0, 0))


def systemd_view(path):
    out = subprocess.run(["systemd-analyze", "inspect-elf", "--json=short", path],
                         check=True, capture_output=True, text=True).stdout
    top = json.loads(out, object_pairs_hook=lambda pairs: pairs)
    top = dict(top)
    fields = top.get(path, [])
    build_id = dict(fields).get("buildId")
    package = [(k, v) for k, v in fields if k != "buildId"]
    return top.get("elfType"), top.get("elfArchitecture"), build_id, package


def check_against_systemd(jsonl_path, expected_path):
    expected = json.load(open(expected_path))
    failures = 0
    seen = set()
    for line in open(jsonl_path, encoding="utf-8"):
        ours = json.loads(line, object_pairs_hook=lambda pairs: pairs)
        keys = [k for k, _ in ours]
        ours = dict(ours)
        path = ours["path"]
        seen.add(path)
        want = expected[path]
        problems = []
        order = [k for k in ["path", "format", "elfType", "elfArchitecture", "buildId", "package"] if k in ours]
        if keys != order:
            problems.append(f"keys {keys}, expected {order}")
        if ours.get("format") != "elf":
            problems.append(f"format {ours.get('format')}, expected elf")
        if ours["elfType"] != want["elfType"]:
            problems.append(f"elfType {ours['elfType']}, expected {want['elfType']}")
        sd_type, sd_arch, sd_build_id, sd_package = systemd_view(path)
        # systemd names by PT_INTERP, not e_type: "executable" with an interpreter, else "library".
        if want.get("systemdType") and sd_type != want["systemdType"]:
            problems.append(f"systemd elfType {sd_type}, expected {want['systemdType']}")
        if ours.get("elfArchitecture") != sd_arch:
            problems.append(f"elfArchitecture {ours.get('elfArchitecture')}, systemd {sd_arch}")
        if ours.get("buildId") != sd_build_id or not sd_build_id:
            problems.append(f"buildId {ours.get('buildId')}, systemd {sd_build_id}")
        package = ours.get("package")
        if want["package"] is None:
            if package is not None or sd_package:
                problems.append(f"package {package}, systemd {sd_package}, expected none")
        else:
            stamped = list(want["package"].items())
            if package != stamped:
                problems.append(f"package {package}, stamped {stamped}")
            if sd_package != stamped:
                problems.append(f"systemd package {sd_package}, stamped {stamped}")
        for problem in problems:
            print(f"FAIL: {path}: {problem}", file=sys.stderr)
        failures += len(problems)
    missing = set(expected) - seen
    for path in sorted(missing):
        print(f"FAIL: {path}: not reported", file=sys.stderr)
    return 1 if failures or missing else 0


if __name__ == "__main__":
    if sys.argv[1] == "strip-section-headers":
        strip_section_headers(sys.argv[2])
    elif sys.argv[1] == "check-against-systemd":
        sys.exit(check_against_systemd(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
