#!/bin/sh
# SPDX-License-Identifier: MIT
# --os-cpe auto reads the build root's identity the way os-release(5) says, checked against the
# shell itself: the values pkgnote writes for this machine's /etc/os-release equal what `.`
# (sourcing the file) yields. In a prepared root, usr/lib/system-release-cpe wins over CPE_NAME,
# an absolute /etc/os-release symlink resolves inside the root (not on the host), explicit --os
# wins over ID, and a root without os-release files, or whose system-release-cpe is not a CPE, is
# refused with status 2.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"

# This machine, compared with what the shell makes of the same file.
[ -e /etc/os-release ] || [ -e /usr/lib/os-release ] || { echo "skipped: no os-release" >&2; exit 77; }
expected=$(
  unset ID VERSION_ID CPE_NAME
  if [ -e /etc/os-release ]; then . /etc/os-release; else . /usr/lib/os-release; fi
  if [ -n "${CPE_NAME:-}" ]; then
    printf '{"name":"x","osCpe":"%s"}' "$CPE_NAME"
  else
    printf '{"name":"x","os":"%s","osVersion":"%s"}' "$ID" "$VERSION_ID"
  fi
)
[ -e /usr/lib/system-release-cpe ] && expected=$(printf '{"name":"x","osCpe":"%s"}' \
  "$(head -n1 /usr/lib/system-release-cpe)")
got=$("$PKGNOTE" generate --name x --os-cpe auto --format json)
[ "$got" = "$expected" ] || fail "this machine: got $got, expected $expected"
echo "ok: this machine: $got"

# A Fedora-like root: system-release-cpe first, then CPE_NAME.
R=$T/fedora
mkdir -p "$R/usr/lib" "$R/etc"
printf 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=39\nCPE_NAME="cpe:/o:fedoraproject:fedora:39"\n' \
  >"$R/usr/lib/os-release"
ln -s /usr/lib/os-release "$R/etc/os-release" # absolute: must resolve inside the root
got=$("$PKGNOTE" generate --rpm 'hello-2.12-1.fc39.x86_64' --os-cpe auto --root "$R" --format json)
[ "$got" = '{"type":"rpm","name":"hello","version":"2.12-1.fc39","architecture":"x86_64","osCpe":"cpe:/o:fedoraproject:fedora:39"}' ] ||
  fail "fedora root (CPE_NAME): $got"
echo 'cpe:/o:fedoraproject:fedora:40' >"$R/usr/lib/system-release-cpe"
got=$("$PKGNOTE" generate --name x --os-cpe auto --root "$R" --format json)
[ "$got" = '{"name":"x","osCpe":"cpe:/o:fedoraproject:fedora:40"}' ] ||
  fail "fedora root (system-release-cpe): $got"
echo "ok: fedora root"

# A Debian-like root without a CPE: os and osVersion, explicit --os winning over ID.
R=$T/debian
mkdir -p "$R/etc"
printf '# comment\nPRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nID=debian\nVERSION_ID="13"\n' \
  >"$R/etc/os-release"
got=$("$PKGNOTE" generate --name x --os-cpe auto --root "$R" --format json)
[ "$got" = '{"name":"x","os":"debian","osVersion":"13"}' ] || fail "debian root: $got"
got=$("$PKGNOTE" generate --name x --os-cpe auto --os mine --root "$R" --format json)
[ "$got" = '{"name":"x","os":"mine","osVersion":"13"}' ] || fail "debian root with --os: $got"
echo "ok: debian root"

# No os-release at all: status 2, one line naming the option and the root.
mkdir "$T/empty"
status=0
"$PKGNOTE" generate --name x --os-cpe auto --root "$T/empty" 2>"$T/stderr" >"$T/stdout" || status=$?
[ "$status" = 2 ] || fail "empty root: status $status"
[ "$(cat "$T/stderr")" = "pkgnote: error: --os-cpe auto: root '$T/empty': no usr/lib/system-release-cpe, etc/os-release or usr/lib/os-release" ] ||
  fail "empty root: $(cat "$T/stderr")"
[ ! -s "$T/stdout" ] || fail "empty root: wrote to stdout"
echo "ok: empty root refused"

# A system-release-cpe that is not a CPE: status 2, the message names the file.
mkdir -p "$T/badcpe/usr/lib"
echo "Fedora release 40" >"$T/badcpe/usr/lib/system-release-cpe"
status=0
"$PKGNOTE" generate --name x --os-cpe auto --root "$T/badcpe" 2>"$T/stderr" >"$T/stdout" || status=$?
[ "$status" = 2 ] || fail "bad cpe: status $status"
[ "$(cat "$T/stderr")" = "pkgnote: error: --os-cpe auto: '$T/badcpe/usr/lib/system-release-cpe': 'Fedora release 40': not a CPE 2.2 URI (cpe:/...) or CPE 2.3 formatted string (cpe:2.3:...)" ] ||
  fail "bad cpe: $(cat "$T/stderr")"
echo "ok: bad system-release-cpe refused naming the file"
