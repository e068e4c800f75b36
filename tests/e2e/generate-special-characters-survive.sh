#!/bin/sh
# SPDX-License-Identifier: MIT
# Values full of quotes, backslashes, "*/", ";", "}", "%", "%{..}", "%(..)", "$", "#", commas,
# spaces and non-ASCII reach the note byte for byte through every form: the linker script, the
# ld-flag through sh eval and through make (both ways docs/design.md documents), and the specs file
# (gcc never expands them; "#" is the one character a specs file cannot carry, so the specs check
# uses the value without it, and generate-bad-inputs-refused.sh proves it is refused). Each link is
# compared with GNU ld's own --package-metadata.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need gcc objcopy make python3

value='q"uo'"'"'te \back\\ */ ; } {x} % %% %{x} %(y) %s $HOME $(id) `id` $$ # , caf'"$(printf '\303\251')"' 日本'
set -- --type deb --name "$value" --version '1:2.0~rc1+dfsg-1' --set "k%{x}=v;\$w"
json=$("$PKGNOTE" generate "$@" --format json)
printf '%s' "$json" | python3 -c '
import json, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8"))
assert d["name"] == sys.argv[1], (d["name"], sys.argv[1])
assert d["k%{x}"] == "v;$w", d
' "$value" || fail "json output does not carry the value"

gcc "$T/main.c" -Xlinker "--package-metadata=$json" -o "$T/ref"

# check NAME BINARY: the note equals GNU ld's (the flag forms ARE GNU ld's option, so their whole
# section, descsz included, must be identical to the reference link's).
check() {
  case $1 in
  linker-script) compare_with_gnu_ld objcopy little "$2" "$T/ref" "$json" ;;
  *) section_bytes objcopy "$T/ref" >"$T/ref.hex"
     section_bytes objcopy "$2" | cmp -s - "$T/ref.hex" || fail "$1: section differs from GNU ld's" ;;
  esac
  [ "$(payload_of objcopy "$2")" = "$json" ] || fail "$1: payload differs from the json output"
  echo "ok: $1"
}

"$PKGNOTE" generate "$@" -o "$T/note.ld"
gcc "$T/main.c" -Wl,-dT,"$T/note.ld" -o "$T/script"
check linker-script "$T/script"

"$PKGNOTE" generate "$@" --format ld-flag -o "$T/flag"
eval "gcc \"\$T/main.c\" $(cat "$T/flag") -o \"\$T/eval\""
check "ld-flag via sh eval" "$T/eval"

# make, as documented: read the file with $(shell cat) into a simply expanded variable ...
cat >"$T/Makefile.shell" <<'MAKE'
PKGNOTE_LDFLAGS := $(shell cat $(FLAGFILE))
out: ; gcc $(SRC) $(PKGNOTE_LDFLAGS) -o $@
MAKE
make -s -f "$T/Makefile.shell" -C "$T" FLAGFILE="$T/flag" SRC="$T/main.c" out
check "ld-flag via make \$(shell cat)" "$T/out"

# ... or paste it into the Makefile with every $ doubled and every # escaped.
{
  printf 'PKGNOTE_LDFLAGS = %s\n' "$(sed -e 's/\$/$$/g' -e 's/#/\\#/g' "$T/flag")"
  printf 'pasted: ; gcc $(SRC) $(PKGNOTE_LDFLAGS) -o $@\n'
} >"$T/Makefile.pasted"
make -s -f "$T/Makefile.pasted" -C "$T" SRC="$T/main.c" pasted
check "ld-flag pasted into a Makefile" "$T/pasted"

value=$(printf '%s' "$value" | tr -d '#')
set -- --type deb --name "$value" --version '1:2.0~rc1+dfsg-1' --set "k%{x}=v;\$w"
json=$("$PKGNOTE" generate "$@" --format json)
gcc "$T/main.c" -Xlinker "--package-metadata=$json" -o "$T/ref"
"$PKGNOTE" generate "$@" --format specs -o "$T/note.specs"
gcc -specs="$T/note.specs" "$T/main.c" -o "$T/specs"
check specs "$T/specs"
