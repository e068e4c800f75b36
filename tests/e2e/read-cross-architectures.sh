#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote read --json` on real programs, PIEs, static programs, shared libraries, relocatable
# objects and section-header-less copies, built with GNU ld's own --package-metadata by the
# native and six cross toolchains (ELF32/64, little and big endian): every field must equal the
# stamped metadata and what `systemd-analyze inspect-elf --json=short` reads from the same file.
set -eu
: "${PKGNOTE:?}" "${PKGNOTE_SOURCE_DIR:?}"
helpers="$PKGNOTE_SOURCE_DIR/tests/e2e/read-helpers.py"
for tool in systemd-analyze python3 readelf; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool not installed" >&2; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-read.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'int main(void) { return 0; }\n' >"$T/main.c"
printf 'int lib_function(void) { return 42; }\n' >"$T/lib.c"

archs=0
expected="$T/expected.json"
echo '{' >"$expected"
for target in x86_64:gcc i686:i686-linux-gnu-gcc aarch64:aarch64-linux-gnu-gcc \
  armhf:arm-linux-gnueabihf-gcc s390x:s390x-linux-gnu-gcc ppc64el:powerpc64le-linux-gnu-gcc \
  riscv64:riscv64-linux-gnu-gcc; do
  arch=${target%%:*} cc=${target#*:}
  command -v "$cc" >/dev/null || { echo "note: $cc not installed, $arch not covered" >&2; continue; }
  archs=$((archs + 1))
  d="$T/$arch" && mkdir "$d"
  # Commas, quotes, a non-ASCII value and an unknown key: all must survive to the reader.
  json='{"type":"deb","name":"hello-'$arch'","version":"1:2.10-3","architecture":"'$arch'","osCpe":"cpe:/o:debian:debian_linux:12","x-note":"a, \"b\" é"}'
  meta="--package-metadata=$json"
  "$cc" -o "$d/pie" "$T/main.c" -Xlinker "$meta"
  "$cc" -o "$d/plain" "$T/main.c"
  "$cc" -static -o "$d/static" "$T/main.c" -Xlinker "$meta"
  "$cc" -shared -fPIC -o "$d/lib.so" "$T/lib.c" -Xlinker "$meta"
  "$cc" -c -o "$d/lib.o" "$T/lib.c"
  cp "$d/pie" "$d/pie-no-sections"
  python3 "$helpers" strip-section-headers "$d/pie-no-sections"
  readelf -S "$d/pie-no-sections" 2>&1 | grep -q "no sections" || fail "$arch: section headers left"
  cat >>"$expected" <<JSON
"$d/pie": {"elfType": "executable", "systemdType": "executable", "package": $json},
"$d/plain": {"elfType": "executable", "systemdType": "executable", "package": null},
"$d/static": {"elfType": "executable", "package": $json},
"$d/lib.so": {"elfType": "shared-object", "systemdType": "library", "package": $json},
"$d/pie-no-sections": {"elfType": "executable", "systemdType": "executable", "package": $json},
JSON
done
echo '"": null}' >>"$expected"
[ "$archs" -ge 5 ] || { echo "skipped: only $archs toolchains installed" >&2; exit 77; }
python3 - "$expected" <<'PY'
import json, sys
data = json.load(open(sys.argv[1])); data.pop("")
json.dump(data, open(sys.argv[1], "w"))
PY

# Every stamped and unstamped file at once, in argument order; "plain" has no note: status 1.
files=$(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$expected")
status=0
# shellcheck disable=SC2086
"$PKGNOTE" read --json $files >"$T/out.jsonl" 2>"$T/err" || status=$?
[ "$status" = 1 ] || fail "exit status $status, expected 1 (some unstamped): $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "unexpected stderr: $(cat "$T/err")"
[ "$(cut -d'"' -f4 "$T/out.jsonl")" = "$files" ] || fail "output not in argument order"
python3 "$helpers" check-against-systemd "$T/out.jsonl" "$expected"

# Relocatable objects: no program headers, so the SHT_NOTE sections are read; no note here.
for o in "$T"/*/lib.o; do
  line=$("$PKGNOTE" read --json "$o") && fail "$o: status 0 without a note"
  case $line in
    "{\"path\":\"$o\",\"format\":\"elf\",\"elfType\":\"relocatable\",\"elfArchitecture\":\""*) ;;
    *) fail "$o: $line" ;;
  esac
  case $line in *'"package"'*) fail "$o: package in $line" ;; esac
done

# Only stamped inputs: status 0.
"$PKGNOTE" read --json "$T"/*/pie "$T"/*/lib.so >/dev/null || fail "stamped inputs: status $?"
echo "ok: $archs architectures"
