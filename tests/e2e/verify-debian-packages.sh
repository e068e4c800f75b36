#!/bin/sh
# SPDX-License-Identifier: MIT
# Real Debian packages nobody here built, fetched with apt-get download: every ELF file of systemd
# and udev is ok (udev's notes name the source package, systemd), every ELF program of
# qemu-user-static is unstamped (exit 1), its xz decoded on two cores. Skipped (77) only when the
# archive cannot be reached.
set -eu
command -v apt-get >/dev/null && command -v python3 >/dev/null || exit 77
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download systemd udev qemu-user-static >download.log 2>&1; then
  if grep -qiE 'could not resolve|failed to fetch|temporary failure|unable to connect|network is unreachable' download.log; then
    echo "skipped: the Debian archive is unreachable"; exit 77
  fi
  cat download.log >&2
  fail "apt-get download failed"
fi

# Checks the JSON Lines of FILE: at least MIN checked files, every verdict VERDICT, and, when
# given, every note's name NAME.
check_json() {
  python3 - "$@" <<'PY'
import json, sys
path, minimum, verdict = sys.argv[1], int(sys.argv[2]), sys.argv[3]
name = sys.argv[4] if len(sys.argv) > 4 else None
lines = [json.loads(l) for l in open(path)]
assert len(lines) >= minimum, f"{path}: {len(lines)} checked files, expected at least {minimum}"
for l in lines:
    assert l["verdict"] == verdict, f"{path}: {l}"
    if name:
        assert l["found"]["name"] == name and l["expected"]["name"] == name, f"{path}: {l}"
PY
}

"$PKGNOTE" verify --json systemd_*.deb > systemd.json || fail "systemd: exit $?"
check_json systemd.json 50 ok systemd || fail "systemd: not every ELF file is ok"
"$PKGNOTE" verify --json udev_*.deb > udev.json || fail "udev: exit $?"
check_json udev.json 5 ok systemd || fail "udev: not every ELF file carries systemd's note"
status=0
"$PKGNOTE" verify --json qemu-user-static_*.deb > qemu.json || status=$?
[ "$status" = 1 ] || fail "qemu-user-static: exit $status, expected 1"
check_json qemu.json 30 unstamped || fail "qemu-user-static: not every ELF file is unstamped"
grep -q '"path":"/usr/bin/qemu-aarch64-static","verdict":"unstamped"' qemu.json || fail "qemu-aarch64-static is not listed"
# qemu-user-static's data.tar.xz has 16 blocks with their sizes in the headers: on two cores or
# more, xz is decoded by pkgnote's XzDecoder with a block ahead on worker threads (one per block
# after the first), not by libarchive on one thread. strace counts the threads started.
if command -v strace >/dev/null && [ "$(nproc)" -ge 2 ]; then
  strace -f -qq -e trace=clone,clone3 -o threads.log "$PKGNOTE" verify --jobs 1 qemu-user-static_*.deb >/dev/null || true
  started=$(grep -cE 'clone3?\(' threads.log || true)
  [ "$started" -ge 10 ] || fail "qemu-user-static: $started threads started, expected a worker per xz block"
fi
"$PKGNOTE" verify udev_*.deb > udev.txt 2>&1 || fail "udev: exit $?"
grep -qE '^pkgnote: udev_.*\.deb: checked ([0-9]+), ok \1, unstamped 0, mismatch 0, skipped [0-9]+, errors 0$' udev.txt || fail "summary: $(cat udev.txt)"
echo "ok: systemd and udev all ok, qemu-user-static all unstamped ($(wc -l < qemu.json) files)"
