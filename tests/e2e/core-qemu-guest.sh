#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-user guest cores (qemu-aarch64-static writes qemu_<prog>_<date>_<pid>.core, without
# NT_FILE) of a crashing static aarch64 program stamped by GNU ld:
# - linked with -z separate-code, the note's page is not executable, qemu dumps it: the package is
#   read from the core ("source":"core"), also after the binary is deleted;
# - linked with -z noseparate-code, the note shares the first, executable page with the ELF
#   header, which qemu does not dump: with the binary deleted there is no package (exit 1); with
#   --root holding the same file it is read from the file ("source":"file"); with --root holding a
#   different program at that path, its note is never reported.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need aarch64-linux-gnu-gcc qemu-aarch64-static

json='{"type":"deb","name":"crasher","version":"3.0","architecture":"arm64"}'
printf 'int main(void) { volatile int *p = 0; *p = 1; return 0; }\n' >"$T/crash.c"
mkdir "$T/bin" "$T/cores"
for layout in separate-code noseparate-code; do
  aarch64-linux-gnu-gcc -static "$T/crash.c" -o "$T/bin/crash-$layout" -Wl,-z,$layout \
    -Xlinker "--package-metadata=$json"
  cp "$T/bin/crash-$layout" "$T/crash-$layout.orig"
  (cd "$T/cores" && ulimit -c unlimited && qemu-aarch64-static "$T/bin/crash-$layout") \
    >/dev/null 2>&1 || true
  set -- "$T"/cores/qemu_crash-${layout}_*.core
  [ -f "$1" ] || { echo "skipped: qemu wrote no core (ulimit -c?)" >&2; exit 77; }
  mv "$1" "$T/$layout.core"
done
exe_sep=$T/bin/crash-separate-code exe_nosep=$T/bin/crash-noseparate-code

"$PKGNOTE" read --json "$T/separate-code.core" >"$T/sep.json" || fail "separate-code: exit $?"
[ "$(module_field "$T/sep.json" "$exe_sep" package)" = "$json" ] || fail "separate-code package"
[ "$(module_field "$T/sep.json" "$exe_sep" source)" = core ] || fail "separate-code source"
grep -q '"elfType":"core","elfArchitecture":"AARCH64"' "$T/sep.json" || fail "core identity"
"$PKGNOTE" read --json "$T/noseparate-code.core" >"$T/nosep-present.json" || fail "nosep: exit $?"
[ "$(module_field "$T/nosep-present.json" "$exe_nosep" source)" = file ] || fail "nosep read from file"
echo "ok: binaries present"

# systemd-analyze answers for the separate-code core (its "[exe]"): same package and build-id.
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze inspect-elf --json=short "$T/separate-code.core" >"$T/systemd.json" 2>/dev/null || true
  id=$(module_field "$T/sep.json" "$exe_sep" buildId)
  grep -qF "\"[exe]\":{\"type\":\"deb\",\"name\":\"crasher\",\"version\":\"3.0\",\"architecture\":\"arm64\",\"buildId\":\"$id\"}" \
    "$T/systemd.json" || fail "systemd-analyze disagrees: $(cat "$T/systemd.json")"
  echo "ok: systemd-analyze inspect-elf agrees"
fi

rm -f "$T"/bin/*
"$PKGNOTE" read --json "$T/separate-code.core" >"$T/sep-deleted.json" || fail "deleted: exit $?"
[ "$(module_field "$T/sep-deleted.json" "$exe_sep" package)" = "$json" ] || fail "deleted: package"
status=0
"$PKGNOTE" read --json "$T/noseparate-code.core" >"$T/nosep.json" 2>/dev/null || status=$?
[ "$status" -eq 1 ] || fail "noseparate-code without its binary: exit $status, expected 1"
[ "$(module_field "$T/nosep.json" "$exe_nosep" package)" = absent ] || fail "nosep: a package from nowhere"
echo "ok: binaries deleted"

mkdir -p "$T/root$T/bin"
cp "$T/crash-noseparate-code.orig" "$T/root$exe_nosep"
"$PKGNOTE" read --json --root "$T/root" "$T/noseparate-code.core" >"$T/nosep-root.json" ||
  fail "--root: exit $?"
[ "$(module_field "$T/nosep-root.json" "$exe_nosep" package)" = "$json" ] || fail "--root package"
[ "$(module_field "$T/nosep-root.json" "$exe_nosep" source)" = file ] || fail "--root source"
"$PKGNOTE" read --root "$T/root" "$T/noseparate-code.core" >"$T/nosep-root.txt" 2>&1
grep -q '^  source: *file$' "$T/nosep-root.txt" || fail "text: source file"
echo "ok: --root supplies the matching file"

other='{"type":"deb","name":"impostor","version":"9","architecture":"arm64"}'
printf 'int main(void) { return 7; }\n' >"$T/other.c"
aarch64-linux-gnu-gcc -static "$T/other.c" -o "$T/root$exe_nosep" -Wl,-z,noseparate-code \
  -Xlinker "--package-metadata=$other"
status=0
"$PKGNOTE" read --json --root "$T/root" "$T/noseparate-code.core" >"$T/impostor.json" || status=$?
[ "$status" -eq 1 ] || fail "impostor: exit $status, expected 1"
[ "$(module_field "$T/impostor.json" "$exe_nosep" package)" = absent ] || fail "impostor's package reported"
"$PKGNOTE" read --root "$T/root" "$T/noseparate-code.core" >/dev/null 2>"$T/impostor.err" || true
grep -q "'$T/root$exe_nosep' is not the mapped file (" "$T/impostor.err" ||
  fail "impostor: no warning: $(cat "$T/impostor.err")"
echo "ok: a different file under --root is refused"
