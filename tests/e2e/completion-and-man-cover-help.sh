#!/bin/sh
# SPDX-License-Identifier: MIT
# Every subcommand `pkgnote --help` lists, and every option `pkgnote SUB --help` lists, is offered
# by the bash completion (completion/pkgnote.bash, run in bash as bash-completion runs it) and
# documented in the man page man/pkgnote-SUB.1.scd (as *--option*). Data-driven: a new subcommand
# or option fails here until the completion and its man page have it.
set -eu
command -v bash >/dev/null || { echo "skipped: no bash"; exit 77; }
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
completion=$PKGNOTE_SOURCE_DIR/completion/pkgnote.bash
man=$PKGNOTE_SOURCE_DIR/man

# Prints the completion's candidates for the command line given as arguments (the last one is
# the word being completed).
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pkgnote; printf "%s\n" "${COMPREPLY[@]}"' \
    bash "$completion" "$@"
}

# The options of a --help text: the first column of lines indented by two spaces that start
# with a dash ("  -o,--output FILE  ..."), split at commas.
help_options() {
  sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | grep -v '^$'
}

subcommands=$("$PKGNOTE" --help | awk 'tolower($0) ~ /^subcommands:/ { on = 1; next }
  /^[^ ]/ { on = 0 } on && /^  [a-z]/ { print $1 }')
[ -n "$subcommands" ] || fail "pkgnote --help lists no subcommands"
missing=

offered=$(complete_words pkgnote '')
for opt in $("$PKGNOTE" --help | help_options); do
  complete_words pkgnote - | grep -qx -- "$opt" || missing="$missing pkgnote:$opt(completion)"
  grep -qF -- "*$opt*" "$man/pkgnote.1.scd" || missing="$missing pkgnote:$opt(man)"
done
count=0
for sub in $subcommands; do
  printf '%s\n' "$offered" | grep -qx "$sub" || missing="$missing $sub(completion)"
  page=$man/pkgnote-$sub.1.scd
  [ -f "$page" ] || missing="$missing $sub(no man/pkgnote-$sub.1.scd)"
  grep -qF "*pkgnote-$sub*(1)" "$man/pkgnote.1.scd" || missing="$missing $sub(not in pkgnote.1)"
  options=$("$PKGNOTE" "$sub" --help | help_options)
  [ -n "$options" ] || fail "pkgnote $sub --help lists no options"
  sub_offered=$(complete_words pkgnote "$sub" -)
  for opt in $options; do
    printf '%s\n' "$sub_offered" | grep -qx -- "$opt" || missing="$missing $sub:$opt(completion)"
    [ ! -f "$page" ] || grep -qF -- "*$opt*" "$page" || missing="$missing $sub:$opt(man)"
    count=$((count + 1))
  done
done
[ -z "$missing" ] || fail "missing:$missing"

# The completion also completes values: a sanity check that it is not only a word list.
complete_words pkgnote generate --format l | grep -qx lld-script || fail "--format values are not completed"
echo "ok: $(echo $subcommands | wc -w) subcommands, $count options in the completion and the man pages"
