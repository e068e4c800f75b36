#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile packages (tests/malformed/packages/: truncated, corrupt payload, sizes that lie, a member
# claiming 100 GiB, control bytes in member names, odd hard links, a million tiny members, and
# broken .rpm files made from one that rpmbuild builds here, an .rpm whose cpio header states a
# 2.4 GB name) give exactly the exit status and the one
# error line recorded in expected.tsv, each within 20 s and 64 MiB.
set -eu
command -v python3 >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
corpus=$PKGNOTE_SOURCE_DIR/tests/malformed/packages
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cases=$work/cases
python3 "$corpus/make-packages.py" "$cases" /bin/true
expected=$work/expected.tsv
grep -v '^#' "$corpus/expected.tsv" > "$expected"

if command -v rpmbuild >/dev/null; then
  cat > "$work/tiny.spec" <<'SPEC'
Name: tiny
Version: 1
Release: 1
Summary: tiny
License: MIT
%description
tiny
%install
install -D -m 755 /bin/true %{buildroot}/usr/bin/tiny-true
%files
/usr/bin/tiny-true
SPEC
  rpmbuild -bb --quiet --nodeps --define "_topdir $work/top" --define '_build_id_links none' \
    --define '_binary_payload w9.gzdio' --define '__spec_install_post %{nil}' "$work/tiny.spec" >/dev/null 2>&1
  rpm=$(ls "$work"/top/RPMS/*/tiny-1-1.*.rpm)
  size=$(stat -c %s "$rpm")
  head -c $((size - 2000)) "$rpm" > "$cases/truncated.rpm"
  head -c 300 "$rpm" > "$cases/truncated-header.rpm"
  cp "$rpm" "$cases/corrupt-payload.rpm"
  printf '%*s' 512 '' | dd of="$cases/corrupt-payload.rpm" bs=1 seek=$((size - 3000)) conv=notrunc 2>/dev/null
  cat >> "$expected" <<'TSV'
truncated.rpm	2	pkgnote: error: 'truncated.rpm': payload: gzip data: truncated gzip input
truncated-header.rpm	2	pkgnote: error: 'truncated-header.rpm': rpm header: signature hdr blob(*
corrupt-payload.rpm	2	pkgnote: error: 'corrupt-payload.rpm': payload: gzip data: gzip decompression failed*
TSV
fi

# fuzz_verify_package's out-of-memory input (issue 24): a payload member whose header states a name
# of 2416509072 bytes, which libarchive would allocate before reading; refused before it sees it.
cp "$PKGNOTE_SOURCE_DIR/fuzz/seeds/fuzz_verify_package/oom-cpio-name-size-2gib.rpm" "$cases/cpio-name-2gib.rpm"
printf '%s\t2\t%s\n' cpio-name-2gib.rpm \
  "pkgnote: error: 'cpio-name-2gib.rpm': payload: cpio member 1: its header states a name of 2416509072 bytes (at most 4098)" >> "$expected"

status=0
while IFS="$(printf '\t')" read -r name want_status want_stderr; do
  [ -n "$name" ] || continue
  got_status=0
  (cd "$cases" && /usr/bin/time -f '%M' -o "$work/rss" timeout 20 "$PKGNOTE" verify "$name" >/dev/null 2>"$work/stderr") || got_status=$?
  # The per-package count goes to stderr too; only the error lines are compared.
  got_stderr=$(grep -v '^[0-9]*$' "$work/stderr" | grep -v '^Command exited' |
    grep -v '^pkgnote: .*: checked [0-9]*, ok ' | sed ':a;N;$!ba;s/\n/\\n/g')
  rss=$(tail -n1 "$work/rss")
  # An expectation ending in * is a prefix (librpm's messages carry sizes that vary by build).
  case $want_stderr in
    *'*') [ "${got_stderr#"${want_stderr%?}"}" != "$got_stderr" ] && got_stderr=$want_stderr ;;
  esac
  if [ "$got_status" != "$want_status" ] || [ "$got_stderr" != "$want_stderr" ]; then
    echo "FAIL: $name: exit $got_status, stderr '$got_stderr'; expected exit $want_status, '$want_stderr'" >&2
    status=1
  elif [ "$rss" -gt 65536 ]; then
    echo "FAIL: $name: peak RSS $rss KiB" >&2
    status=1
  fi
done < "$expected"
[ "$status" = 0 ] && echo "ok: $(wc -l < "$expected") hostile packages"
exit $status
