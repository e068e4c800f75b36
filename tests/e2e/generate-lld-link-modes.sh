#!/bin/sh
# SPDX-License-Identifier: MIT
# With lld 15 or later (Debian's lld-16 here) and the lld-script output (-Wl,-T,FILE), clang and
# gcc links in every mode (PIE, non-PIE, -static, -shared, no --build-id) carry the exact bytes of
# --format note in a PT_NOTE segment that readelf -n decodes, and the programs run; the ld-flag
# output works with lld 16's own --package-metadata too. lld 14 cannot type a script-made section
# SHT_NOTE, so it must refuse the script (a loud link error, not a note no reader finds).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/generate-helpers.sh"
need clang gcc

lld=
for candidate in ld.lld-19 ld.lld-18 ld.lld-17 ld.lld-16 ld.lld-15; do
  lld=$(command -v "$candidate" || true)
  [ -n "$lld" ] && break
done
[ -n "$lld" ] || { echo "skipped: no lld 15 or later (Debian: lld-16)" >&2; exit 77; }
# gcc finds "ld.lld" for -fuse-ld=lld in its -B directories first.
mkdir "$T/lld-bin"
ln -s "$lld" "$T/lld-bin/ld.lld"

set -- --type deb --name hello --version 1
json=$("$PKGNOTE" generate "$@" --format json)
flag=$("$PKGNOTE" generate "$@" --format ld-flag)
"$PKGNOTE" generate "$@" --format note -o "$T/note.bin"
"$PKGNOTE" generate "$@" --format lld-script -o "$T/note.lld"

for cc in clang gcc; do
  echo "$MODES" | while IFS=: read -r mode flags; do
    out=$T/$cc.$mode
    link_mode "$cc" "$flags" "$out" -B"$T/lld-bin/" -fuse-ld=lld -Wl,-T,"$T/note.lld"
    readelf -p .comment "$out" | grep -q 'Linker: .*LLD 1[5-9]' || fail "$cc $mode: not linked by lld 15+"
    objcopy -O binary --only-section=.note.package "$out" "$T/section.bin"
    cmp -s "$T/section.bin" "$T/note.bin" || fail "$cc, lld, $mode: section differs from --format note"
    in_pt_note "$out" || fail "$cc, lld, $mode: .note.package is not in a PT_NOTE segment"
    decoded_by_readelf "$out" "$json"
    eval "link_mode $cc \"\$flags\" \"\$out.flag\" -B\"\$T/lld-bin/\" -fuse-ld=lld $flag"
    [ "$(payload_of objcopy "$out.flag")" = "$json" ] || fail "$cc, lld, ld-flag, $mode: payload"
    in_pt_note "$out.flag" || fail "$cc, lld, ld-flag, $mode: not in a PT_NOTE segment"
    echo "ok: $cc, $(basename "$lld"), $mode: lld-script and ld-flag"
  done
done

if command -v ld.lld-14 >/dev/null 2>&1; then
  mkdir "$T/lld14-bin"
  ln -s "$(command -v ld.lld-14)" "$T/lld14-bin/ld.lld"
  if clang -B"$T/lld14-bin/" -fuse-ld=lld "$T/main.c" -Wl,-T,"$T/note.lld" -o "$T/lld14" \
    2>"$T/lld14.err"; then
    fail "lld 14 accepted the lld-script"
  fi
  grep -q 'note.lld:.*expected' "$T/lld14.err" || fail "lld 14 failed otherwise: $(cat "$T/lld14.err")"
  [ ! -e "$T/lld14" ] || fail "lld 14 left an output"
  echo "ok: lld 14 refuses the lld-script: $(head -1 "$T/lld14.err")"
fi
