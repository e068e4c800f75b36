# SPDX-License-Identifier: MIT
# Shared by the tests/e2e/generate-*.sh scripts (sourced, not a test itself): a scratch directory,
# the cross toolchains, and byte-level comparison of .note.package sections with the real binutils.
set -eu

: "${PKGNOTE:?PKGNOTE must name the built pkgnote}"
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The targets the proof covers: name, compiler, objcopy, byte order.
TARGETS="x86_64:gcc:objcopy:little
aarch64:aarch64-linux-gnu-gcc:aarch64-linux-gnu-objcopy:little
armhf:arm-linux-gnueabihf-gcc:arm-linux-gnueabihf-objcopy:little
s390x:s390x-linux-gnu-gcc:s390x-linux-gnu-objcopy:big"

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool not installed" >&2; exit 77; }
  done
}

printf 'int main(void) { return 0; }\n' >"$T/main.c"
printf 'int pkgnote_lib_function(void) { return 42; }\n' >"$T/lib.c"

# section_bytes OBJCOPY BINARY: the raw .note.package section as hex, one byte a line.
section_bytes() {
  "$1" -O binary --only-section=.note.package "$2" "$T/section.bin" || fail "$2: objcopy failed"
  [ -s "$T/section.bin" ] || fail "$2: no .note.package section"
  od -An -v -tx1 "$T/section.bin" | tr -s ' ' '\n' | sed '/^$/d'
}

# word_at OFFSET ENDIAN: the 32-bit word at OFFSET of the last section_bytes, in decimal.
word_at() {
  od -An -tu4 --endian="$2" -j "$1" -N 4 "$T/section.bin" | tr -d ' '
}

# compare_with_gnu_ld OBJCOPY ENDIAN OURS REFERENCE JSON: owner, type and padded payload equal
# byte for byte; descsz is len+1 in ours (gABI) and len+1 or the padded length in GNU ld's.
compare_with_gnu_ld() {
  objcopy_=$1 endian_=$2 ours_=$3 ref_=$4 json_=$5
  len_=$(printf '%s' "$json_" | wc -c)
  section_bytes "$objcopy_" "$ref_" | sed '5,8d' >"$T/ref.hex"
  section_bytes "$objcopy_" "$ours_" >"$T/ours-full.hex"
  [ "$(word_at 4 "$endian_")" = $((len_ + 1)) ] ||
    fail "$ours_: descsz $(word_at 4 "$endian_"), expected $((len_ + 1))"
  [ "$(word_at 0 "$endian_")" = 4 ] || fail "$ours_: namesz is not 4"
  sed '5,8d' "$T/ours-full.hex" >"$T/ours.hex"
  cmp -s "$T/ours.hex" "$T/ref.hex" || {
    diff "$T/ref.hex" "$T/ours.hex" | head >&2
    fail "$ours_: note differs from GNU ld's --package-metadata"
  }
}

# payload_of OBJCOPY BINARY: the note's JSON text as written (up to the NUL).
payload_of() {
  "$1" -O binary --only-section=.note.package "$2" "$T/payload.bin" || fail "$2: objcopy failed"
  tail -c +17 "$T/payload.bin" | tr -d '\000'
}

# in_pt_note BINARY: .note.package lies in a PT_NOTE segment (readelf -lW's section mapping).
in_pt_note() {
  readelf -lW "$1" | awk '
    /^Program Headers:/ { ph = 1; n = 0; next }
    /Section to Segment mapping/ { ph = 0; map = 1; next }
    ph && $2 ~ /^0x/ { type[n++] = $1; next }
    map && $1 ~ /^[0-9]+$/ && type[$1 + 0] == "NOTE" && / \.note\.package( |$)/ { found = 1 }
    END { exit !found }'
}

# decoded_by_readelf BINARY JSON: readelf -n names the note and prints the payload.
decoded_by_readelf() {
  readelf -nW "$1" >"$T/notes.txt" 2>&1 || fail "$1: readelf -n failed"
  grep -q 'FDO_PACKAGING_METADATA' "$T/notes.txt" || fail "$1: readelf -n does not see the note"
  grep -qF "Packaging Metadata: $2" "$T/notes.txt" || fail "$1: readelf -n payload differs"
}

# MODES: the link modes every linker is tried in, as "name:compiler flags" (source lib.c for
# -shared, main.c otherwise).
MODES="pie:-fPIE -pie
no-pie:-fno-PIE -no-pie
static:-static
shared:-fPIC -shared
no-build-id:-Wl,--build-id=none"

# link_mode CC MODE-FLAGS OUTPUT LINK-ARGS...: links main.c (or lib.c for -shared), and runs the
# program when it is one, so a broken layout fails here too.
link_mode() {
  cc_=$1 flags_=$2 out_=$3
  shift 3
  case $flags_ in *-shared*) src_=$T/lib.c ;; *) src_=$T/main.c ;; esac
  # shellcheck disable=SC2086 # the mode's flags are several words
  "$cc_" $flags_ "$src_" "$@" -o "$out_" || fail "$out_: link failed"
  case $flags_ in *-shared*) ;; *) "$out_" || fail "$out_: the linked program does not run" ;; esac
}
