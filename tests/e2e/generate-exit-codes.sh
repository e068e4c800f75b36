#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote generate` exit status and messages: 0 and the payload when it wrote; 2 (trouble, as for
# stamp and verify) with exactly one "pkgnote: error: OPTION: problem" line for invalid metadata (values, CPEs),
# unwritable output and usage errors (CLI11's parse errors); and --help (status 0) names every
# format with the linker flag that takes it and ends with the exit status.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"

expect() { # expect STATUS STDERR ARGS...: runs generate, compares status and stderr exactly
  want_status=$1
  want_stderr=$2
  shift 2
  status=0
  "$PKGNOTE" generate "$@" >"$T/stdout" 2>"$T/stderr" || status=$?
  [ "$status" = "$want_status" ] || fail "$*: status $status, expected $want_status"
  [ "$(cat "$T/stderr")" = "$want_stderr" ] || fail "$*: stderr: $(cat "$T/stderr")"
  echo "ok: $want_status: $*"
}

expect 0 "" --rpm 'qemu-user-static-2:8.1.3-1.fc39.x86_64' --set extra=1 --format json
[ "$(cat "$T/stdout")" = '{"type":"rpm","name":"qemu-user-static","version":"8.1.3-1.fc39","architecture":"x86_64","extra":"1"}' ] ||
  fail "rpm payload: $(cat "$T/stdout")"

nl='
'
expect 2 "pkgnote: error: --name: control character U+000A at byte 3" --name "abc${nl}"
expect 2 "pkgnote: error: --version: invalid UTF-8 byte 0xff at byte 3" --version "$(printf 'caf\377')"
expect 2 "pkgnote: error: key clash: 'name' is given by both --rpm and --name" \
  --rpm hello-1-1.x86_64 --name other
expect 2 "pkgnote: error: --rpm: 'hello-1': no architecture (expected NAME-[EPOCH:]VERSION-RELEASE.ARCH)" \
  --rpm hello-1
expect 2 "pkgnote: error: --set 'novalue': missing '=' (expected KEY=VALUE)" --set novalue
expect 2 "pkgnote: error: --output: '$T/nodir/x.ld': cannot create temporary file: no such file or directory" \
  --name x -o "$T/nodir/x.ld"
expect 2 "pkgnote: error: --os-cpe: 'not a cpe': not a CPE 2.2 URI (cpe:/...) or CPE 2.3 formatted string (cpe:2.3:...)" \
  --name x --os-cpe 'not a cpe'
expect 2 "pkgnote: error: --app-cpe: 'cpe:2.3:a:acme:app:1': a CPE 2.3 formatted string has 11 components after cpe:2.3:, not 4" \
  --name x --app-cpe cpe:2.3:a:acme:app:1
expect 0 "" --name x --os-cpe cpe:/o:fedoraproject:fedora:40 \
  --app-cpe 'cpe:2.3:a:acme:my\+app:1.0:*:*:*:*:*:*:*' --format json
[ "$(cat "$T/stdout")" = '{"name":"x","osCpe":"cpe:/o:fedoraproject:fedora:40","appCpe":"cpe:2.3:a:acme:my\\+app:1.0:*:*:*:*:*:*:*"}' ] ||
  fail "cpe payload: $(cat "$T/stdout")"
expect 2 "pkgnote: error: --format: bogus not in {linker-script,lld-script,ld-flag,specs,json,note,coff}" \
  --name x --format bogus
expect 2 "pkgnote: error: --endian: middle not in {little,big}" --name x --endian middle
expect 2 "pkgnote: error: the following argument was not expected: --no-such-option" \
  --name x --no-such-option

"$PKGNOTE" generate --help >"$T/help"
for text in linker-script lld-script ld-flag specs json note -Wl,-dT,FILE -Wl,-T,FILE -specs=FILE \
  eval gold "--readonly no"; do
  grep -q -e "$text" "$T/help" || fail "--help does not mention $text"
done
echo "ok: --help documents formats and linker flags"
awk '/^Exit status:/ { found = 1; next } found && /^$/ { blank = 1 } blank && /./ { later = 1 }
  END { exit !(found && !later) }' "$T/help" || fail "--help does not end with its exit status"
