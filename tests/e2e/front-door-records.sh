#!/bin/sh
# SPDX-License-Identifier: MIT
# The front door's one rule, over every command (pkgnote(1), EXIT STATUS): bad inputs mixed with
# good ones give one --json record each on stdout, in input order (a failed input
# {"path":...,"error":...}), the documented exit status (0 nothing wanting, 1 a finding, 2
# trouble; --exit-zero turns findings into 0, never trouble), and counts, summaries and notices
# on stderr only: stdout parses as JSON Lines, and text output does not start with a blank line.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc
cd "$T"

printf 'int main(void) { return 0; }\n' >prog.c
gcc -o unstamped prog.c
"$PKGNOTE" stamp --type deb --name prog --version 1.0 --architecture amd64 -o stamped unstamped 2>/dev/null
echo 'not elf' >text.txt

# run NAME WANT COMMAND...: runs COMMAND with stdout in NAME.out, stderr in NAME.err, and checks
# the exit status.
run() {
  name=$1 want=$2
  shift 2
  status=0
  "$@" >"$name.out" 2>"$name.err" || status=$?
  [ "$status" = "$want" ] || fail "$name: exit $status, expected $want: $(cat "$name.err")"
}
# records NAME FIELD: one line per record of NAME.out, FIELD's value ('-' when absent); fails when a
# line is not a JSON object.
records() {
  python3 - "$1.out" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    assert isinstance(record, dict), line
    value = record.get(sys.argv[2], "-")
    print(value if not isinstance(value, dict) else "{}")
PY
}
expect_lines() { # expect_lines NAME WHAT EXPECTED ACTUAL
  [ "$3" = "$4" ] || fail "$1: $2:
$4
expected:
$3"
}

# read: a stamped file, a missing one, an unstamped one, a non-ELF file, in that order.
run read-json 2 "$PKGNOTE" read --json stamped missing unstamped text.txt
expect_lines read-json paths "stamped
missing
unstamped
text.txt" "$(records read-json path)"
expect_lines read-json errors "-
'missing': no such file or directory
-
'text.txt': not an ELF file" "$(records read-json error)"
[ "$(grep -c '^pkgnote: error: ' read-json.err)" = 2 ] || fail "read-json: stderr: $(cat read-json.err)"
echo "ok: read --json: one record per input, failed ones included, exit 2"

run read-findings 1 "$PKGNOTE" read --json stamped unstamped
run read-exit-zero 0 "$PKGNOTE" read --json --exit-zero stamped unstamped
run read-exit-zero-trouble 2 "$PKGNOTE" read --exit-zero stamped missing
run read-ok 0 "$PKGNOTE" read stamped
echo "ok: read: 1 for an unstamped file, 0 with --exit-zero, still 2 for trouble"

# Text: no blank first line when the first input fails; the summary on stderr alone.
run read-text 2 "$PKGNOTE" read missing stamped unstamped
[ "$(head -c 5 read-text.out)" = "path:" ] || fail "read text starts with: $(head -2 read-text.out)"
grep -q '^pkgnote: files read: 2, stamped: 1, unstamped: 1, errors: 1$' read-text.err ||
  fail "read summary: $(cat read-text.err)"
! grep -q 'files read' read-text.out || fail "read summary on stdout"
[ "$(grep -c '^path:' read-text.out)" = 2 ] || fail "read text: $(cat read-text.out)"
grep -qx 'package:           unstamped' read-text.out || fail "read text: no 'package: unstamped'"
echo "ok: read text: records only on stdout, the summary on stderr"

# CycloneDX with --exit-zero: the SBOM run of the README does not stop a set -e script.
run read-sbom 0 "$PKGNOTE" read --exit-zero --format cyclonedx stamped unstamped
python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["bomFormat"] == "CycloneDX"' \
  read-sbom.out || fail "read-sbom: not a CycloneDX document"
echo "ok: read --exit-zero --format cyclonedx"

# A package named by read points at verify, in a tree (with -r) and as an argument.
mkdir -p tree/pool
printf '!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n' >tree/pool/x.deb
cp stamped tree/
run read-deb 2 "$PKGNOTE" read --json -r tree
expect_lines read-deb paths "tree/pool/x.deb
tree/stamped" "$(records read-deb path)"
grep -q "pkgnote verify" read-deb.err || fail "read-deb: no hint at verify: $(cat read-deb.err)"
run read-deb-argument 2 "$PKGNOTE" read tree/pool/x.deb
grep -q "^pkgnote: error: 'tree/pool/x.deb': a .deb package: .*pkgnote verify" read-deb-argument.err ||
  fail "read x.deb: $(cat read-deb-argument.err)"
echo "ok: read names packages with a hint at verify"

# An OCI image layout met in a tree is read as the image it is, after the tree's own files (its
# blobs are not walked as files).
command -v umoci >/dev/null || fail "umoci is not installed (scripts/install-deps)"
mkdir layouts
umoci init --layout layouts/oci
umoci new --image layouts/oci:v1
umoci insert --rootless --image layouts/oci:v1 stamped /usr/bin/prog >/dev/null
cp unstamped layouts/plain
run read-layout-in-tree 1 "$PKGNOTE" read --json -r layouts
expect_lines read-layout-in-tree paths "layouts/plain
/usr/bin/prog" "$(records read-layout-in-tree path)"
expect_lines read-layout-in-tree images "-
layouts/oci" "$(records read-layout-in-tree image)"
echo "ok: read -r reads an OCI layout met in a tree"

# stamp --json: stamped, unchanged, refused (not ELF, missing), in input order; exit 2.
cp unstamped a && cp stamped b
run stamp-json 2 "$PKGNOTE" stamp --json --type deb --name prog --version 1.0 --architecture amd64 \
  a b text.txt missing
expect_lines stamp-json actions "stamped
unchanged
refused
refused" "$(records stamp-json action)"
expect_lines stamp-json paths "a
b
text.txt
missing" "$(records stamp-json path)"
[ "$(records stamp-json error | grep -c "^'")" = 2 ] || fail "stamp-json: errors: $(cat stamp-json.out)"
grep -q '^pkgnote: files stamped: 1, unchanged: 1, left alone: 0, errors: 2$' stamp-json.err ||
  fail "stamp summary: $(cat stamp-json.err)"
run stamp-bad-value 2 "$PKGNOTE" stamp --name "$(printf 'a\tb')" a
echo "ok: stamp --json: a record per file, refused ones with their error, exit 2"

# verify: a good file, an unstamped one, a missing package: a record each, summaries on stderr.
meta="--type deb --name prog --version 1.0 --architecture amd64"
# shellcheck disable=SC2086
run verify-json 2 "$PKGNOTE" verify --json $meta stamped unstamped missing
expect_lines verify-json verdicts "ok
unstamped
error" "$(records verify-json verdict)"
expect_lines verify-json packages "stamped
unstamped
missing" "$(records verify-json package)"
# shellcheck disable=SC2086
run verify-text 1 "$PKGNOTE" verify $meta stamped unstamped
grep -q '^unstamped: unstamped: unstamped$' verify-text.out || fail "verify text: $(cat verify-text.out)"
! grep -q 'checked' verify-text.out || fail "verify summary on stdout: $(cat verify-text.out)"
grep -q '^pkgnote: stamped: checked 1, ok 1,' verify-text.err || fail "verify summary: $(cat verify-text.err)"
# shellcheck disable=SC2086
run verify-exit-zero 0 "$PKGNOTE" verify --exit-zero $meta stamped unstamped
# shellcheck disable=SC2086
run verify-exit-zero-trouble 2 "$PKGNOTE" verify --exit-zero $meta stamped missing
run verify-bad-value 2 "$PKGNOTE" verify --name "$(printf 'a\tb')" stamped
run verify-needs-metadata 2 "$PKGNOTE" verify unstamped
echo "ok: verify: one record per file and per unreadable package, findings 1 (0 with --exit-zero), trouble 2"

# generate: a bad value is trouble, 2, as for stamp and verify.
run generate-bad-value 2 "$PKGNOTE" generate --name "$(printf 'a\tb')" --format json
run generate-usage 2 "$PKGNOTE" generate --no-such-option
echo "ok: generate: a bad value is exit 2"

# binfmt: a missing --root is trouble; a registration that cannot be parsed is a record; the
# "not mounted" notice goes to stderr.
run binfmt-missing-root 2 "$PKGNOTE" binfmt --json --root "$T/no-such-root"
expect_lines binfmt-missing-root paths "$T/no-such-root" "$(records binfmt-missing-root path)"
mkdir -p root/usr/lib/binfmt.d root/usr/share/binfmts
printf ':good:M::\\x7fELF::/usr/bin/emu:F\n:bad:X::\n' >root/usr/lib/binfmt.d/emu.conf
run binfmt-json 2 "$PKGNOTE" binfmt --json --root root
expect_lines binfmt-json paths "/usr/lib/binfmt.d/emu.conf
-" "$(records binfmt-json path)"
expect_lines binfmt-json names "-
good" "$(records binfmt-json name)"
grep -q "^pkgnote: error: '/usr/lib/binfmt.d/emu.conf': line 2: .* (under --root 'root')$" binfmt-json.err ||
  fail "binfmt error does not name the rooted path: $(cat binfmt-json.err)"
run binfmt-text 2 "$PKGNOTE" binfmt --root root
! grep -q 'not mounted' binfmt-text.out || fail "binfmt notice on stdout"
grep -q '^pkgnote: binfmt_misc is not mounted' binfmt-text.err || fail "binfmt notice: $(cat binfmt-text.err)"
[ -n "$(head -n 1 binfmt-text.out)" ] || fail "binfmt text starts with a blank line"
echo "ok: binfmt: records for errors, a missing root is 2, notices on stderr"

# Each command's --help ends with its exit status.
for sub in generate read binfmt verify stamp; do
  "$PKGNOTE" "$sub" --help >help.txt
  awk '/^Exit status:/ { found = 1; next } found && /^$/ { blank = 1 } blank && /./ { later = 1 }
    END { exit !(found && !later) }' help.txt || fail "$sub --help does not end with its exit status"
done
echo "ok: every --help ends with its exit status"
