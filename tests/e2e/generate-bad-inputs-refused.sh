#!/bin/sh
# SPDX-License-Identifier: MIT
# Bad inputs to generate (control characters, invalid UTF-8, an empty value, a key given twice, a
# payload over 64 KiB, an unreadable root, '#' in a specs payload, an output directory that does
# not exist) exit non-zero with exactly one "pkgnote: error: " line on stderr, write nothing to
# stdout, and leave an existing --output file untouched with no temporary file beside it.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"

mkdir "$T/out"
echo "previous contents" >"$T/out/note.ld"
cp "$T/out/note.ld" "$T/expected"

refused() { # refused WHAT ARGS...: runs generate -o the existing file and checks the refusal
  what=$1
  shift
  if "$PKGNOTE" generate "$@" -o "$T/out/note.ld" >"$T/stdout" 2>"$T/stderr"; then
    fail "$what: accepted"
  fi
  [ "$(wc -l <"$T/stderr")" = 1 ] || fail "$what: stderr is not one line: $(cat "$T/stderr")"
  grep -q '^pkgnote: error: [^A-Z].*[^.]$' "$T/stderr" || fail "$what: message form: $(cat "$T/stderr")"
  [ ! -s "$T/stdout" ] || fail "$what: wrote to stdout"
  cmp -s "$T/out/note.ld" "$T/expected" || fail "$what: existing output was changed"
  [ "$(ls -A "$T/out")" = note.ld ] || fail "$what: left files behind: $(ls -A "$T/out")"
  echo "ok: $what: $(cat "$T/stderr")"
}

tab=$(printf '\t')
nl='
'
refused "tab in a value" --name "a${tab}b"
refused "newline in a value" --name "a${nl}b"
refused "escape character in a value" --version "1$(printf '\033')[31m"
refused "DEL in a value" --name "a$(printf '\177')b"
refused "control character in a --set key" --set "$(printf 'k\001')=v"
refused "invalid UTF-8" --name "$(printf 'caf\351')"
refused "overlong UTF-8 encoding" --name "$(printf '\300\257')"
refused "empty value" --name ""
refused "key given twice" --name a --set name=b
refused "payload over 64 KiB" --name "$(head -c 70000 /dev/zero | tr '\0' x)"
refused "unreadable root" --os-cpe auto --root "$T/no-such-root"
refused "'#' in a specs payload" --name "a#b" --format specs

# An output in a directory that does not exist: refused, nothing created.
if "$PKGNOTE" generate --name a -o "$T/missing/note.ld" 2>"$T/stderr"; then
  fail "output into a missing directory: accepted"
fi
[ "$(wc -l <"$T/stderr")" = 1 ] || fail "missing directory: stderr is not one line"
[ ! -e "$T/missing" ] || fail "missing directory: something was created"
echo "ok: missing output directory: $(cat "$T/stderr")"
