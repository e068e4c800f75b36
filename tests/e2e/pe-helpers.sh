# SPDX-License-Identifier: MIT
# Shared by the tests/e2e/pe-*.sh scripts (sourced, not a test itself): a scratch directory, the
# mingw-w64 toolchains, and the programs and DLLs they build, each printing a line and exiting 3
# so that "runs the same" is comparable. python3-pefile is Debian's, run by /usr/bin/python3
# (a python3 first on PATH, such as pyenv's, does not see it).
set -eu

: "${PKGNOTE:?PKGNOTE must name the built pkgnote}"
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-e2e.XXXXXX")
# wineserver outlives the program by a few seconds, writing into the prefix: stopped first.
cleanup() {
  if [ -d "$T/wine" ]; then
    WINEPREFIX="$T/wine" /usr/lib/wine/wineserver -k 2>/dev/null || true
    WINEPREFIX="$T/wine" /usr/lib/wine/wineserver -w 2>/dev/null || true
  fi
  rm -rf "$T"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

PYTHON=/usr/bin/python3
PE_CHECK="$PKGNOTE_SOURCE_DIR/tests/e2e/pe-check.py"

# The toolchains and pefile are in Debian 12 (scripts/install-deps): missing, the test fails.
for tool in x86_64-w64-mingw32-gcc i686-w64-mingw32-gcc x86_64-w64-mingw32-objdump; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not installed (scripts/install-deps)"
done
$PYTHON -c 'import pefile' 2>/dev/null || fail "python3-pefile not installed (scripts/install-deps)"

cat >"$T/hello.c" <<'C'
#include <stdio.h>
__declspec(dllimport) int pkgnote_lib_function(void);
int main(void) { printf("hello from pe %d\n", pkgnote_lib_function()); return 3; }
C
cat >"$T/lib.c" <<'C'
__declspec(dllexport) int pkgnote_lib_function(void) { return 42; }
C

# mingw_cc ARCH: the compiler for x86_64 or i686.
mingw_cc() { echo "$1-w64-mingw32-gcc"; }

# build_pair ARCH DIR [EXTRA_OBJECT...]: DIR/lib.dll and DIR/hello.exe (which loads it), linked with
# -Wl,--build-id (a CodeView debug directory entry) and any extra objects.
build_pair() {
  arch=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  cc=$(mingw_cc "$arch")
  $cc -shared -o "$dir/lib.dll" "$T/lib.c" -Wl,--build-id "$@"
  $cc -o "$dir/hello.exe" "$T/hello.c" "$dir/lib.dll" -Wl,--build-id "$@"
}

# pe_json FILE: pkgnote's JSON record of FILE.
pe_json() { "$PKGNOTE" read --json "$1" 2>/dev/null || true; }

# wine_run FILE: FILE's output (CRLF as LF: mingw's stdio writes text mode) and exit status under
# wine64, run in a prefix of its own under $T.
WINE=
for w in /usr/lib/wine/wine64 wine64; do
  if command -v "$w" >/dev/null 2>&1; then WINE=$w; break; fi
done
wine_run() {
  (
    cd "$(dirname "$1")"
    status=0
    WINEPREFIX="$T/wine" WINEDEBUG=-all timeout 120 "$WINE" "./$(basename "$1")" >out.txt 2>/dev/null || status=$?
    tr -d "\r" <out.txt && rm -f out.txt
    echo "status $status"
  )
}
