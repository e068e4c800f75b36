#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Runs `pkgnote read` on every file of the malformed corpus and checks the outcome that
# expected.tsv records for it: the exact exit status and the exact stderr (one line, or nothing).
# A crash, a hang (over 20 s), a sanitizer report or any other difference fails. With --json the
# same run must print one valid JSON line per input that could be read.
# In expected.tsv, the error and warning lines are joined with a literal \n.
# Usage: run-corpus.py PKGNOTE            (exit 0 when every case matches)
#        run-corpus.py --actual PKGNOTE   (prints what PKGNOTE does, as expected.tsv lines, to be
#                                          reviewed case by case before it replaces expected.tsv)
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")


def expectations():
    with open(os.path.join(HERE, "expected.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, status, stderr = line.rstrip("\n").split("\t", 2)
            yield name, int(status), stderr


def run(pkgnote, args):
    try:
        p = subprocess.run([pkgnote, "read", *args], cwd=CASES, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return None, b"", b"timed out after 20 s"
    return p.returncode, p.stdout, p.stderr


def joined(stderr):
    """The error and warning lines of STDERR joined with a literal \\n; the tool's other lines
    (the summary of `read`) are not part of the contract. Anything not from the tool (a sanitizer
    report, stray output) is kept, so that it never matches an expectation."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    kept = [line for line in lines
            if line.startswith(("pkgnote: error: ", "pkgnote: warning: "))
            or not line.startswith("pkgnote: ")]
    return "\\n".join(kept)


def check(pkgnote, name, status, stderr):
    problems = []
    got, out, err = run(pkgnote, [name])
    err = joined(err)
    if got != status:
        problems.append(f"exit status {got}, expected {status}")
    if err != stderr:
        problems.append(f"stderr {err!r}, expected {stderr!r}")
    got, out, err = run(pkgnote, ["--json", name])
    if got != status:
        problems.append(f"--json: exit status {got}, expected {status}")
    lines = out.decode("utf-8", "replace").splitlines()
    if status in (0, 1) and name.startswith("image-"):
        # An image's files: each record names the image and an absolute path inside it (the
        # whiteout case leaves none).
        try:
            records = [json.loads(line) for line in lines]
        except ValueError:
            records = None
        want = 0 if name == "image-whiteout-deletes" else 1
        if records is None or len(records) != want or any(
                r.get("image") != name or r.get("path") != "/usr/bin/app" for r in records):
            problems.append(f"--json: expected {want} record(s) of /usr/bin/app in {name}, got {lines!r}")
    elif status in (0, 1):
        try:
            record = json.loads(lines[0]) if len(lines) == 1 else None
        except ValueError:
            record = None
        if record is None or record.get("path") != name:
            problems.append(f"--json: expected one JSON line for {name}, got {lines!r}")
        elif status == 0 and not ("package" in record or record.get("modules")):
            problems.append("--json: exit status 0 without a package")
    else:
        # Trouble: each error is a record of its own, {"path":NAME,"error":...}, in its place, as
        # many as stderr has error lines (an image may still report its good files).
        try:
            records = [json.loads(line) for line in lines]
        except ValueError:
            records = None
        errors = [r for r in records or [] if "error" in r]
        stderr_errors = [line for line in err.decode("utf-8", "replace").splitlines()
                         if line.startswith("pkgnote: error: ")]
        if records is None or not errors or len(errors) != len(stderr_errors) or any(
                r.get("path") != name or set(r) != {"path", "error"} for r in errors):
            problems.append(f"--json: expected a {{path, error}} record per error for {name}, "
                            f"got {lines!r}")
    return problems


def print_actual(pkgnote):
    print("# case\texit status\tstderr of `pkgnote read CASE` (lines joined with \\n)")
    for name in sorted(os.listdir(CASES)):
        got, _, err = run(pkgnote, [name])
        print(f"{name}\t{got}\t{joined(err)}")
    return 0


def main():
    if sys.argv[1] == "--actual":
        return print_actual(os.path.abspath(sys.argv[2]))
    pkgnote = os.path.abspath(sys.argv[1])
    env_defaults = {"ASAN_OPTIONS": "exitcode=86",
                    "UBSAN_OPTIONS": "exitcode=87:print_stacktrace=1"}
    for key, value in env_defaults.items():
        os.environ.setdefault(key, value)
    failed = 0
    seen = set()
    for name, status, stderr in expectations():
        seen.add(name)
        problems = check(pkgnote, name, status, stderr)
        for p in problems:
            print(f"FAIL {name}: {p}")
        failed += bool(problems)
    unlisted = sorted(set(os.listdir(CASES)) - seen)
    for name in unlisted:
        print(f"FAIL {name}: no expectation in expected.tsv")
    total = len(seen)
    print(f"{total - failed} of {total} malformed-corpus cases behave as expected")
    return 1 if failed or unlisted else 0


if __name__ == "__main__":
    sys.exit(main())
