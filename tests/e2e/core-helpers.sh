# SPDX-License-Identifier: MIT
# Shared by the tests/e2e/core-*.sh scripts (sourced, not a test itself): a scratch directory,
# skipping when a tool is missing, and a JSON field reader (python3) for `pkgnote read --json`.
set -eu
: "${PKGNOTE:?PKGNOTE must name the built pkgnote}"
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool not installed" >&2; exit 77; }
  done
}
need python3

# module_field JSONFILE MODULEPATH FIELD: the field of the module (compact JSON for objects), or
# "absent"; "no-module" when the core does not list the module.
module_field() {
  python3 - "$@" <<'PY'
import json, sys
report = json.loads(open(sys.argv[1]).readline())
for module in report.get("modules", []):
    if module["path"] == sys.argv[2]:
        value = module.get(sys.argv[3], "absent")
        print(json.dumps(value, separators=(",", ":"), ensure_ascii=False)
              if isinstance(value, dict) else value)
        break
else:
    print("no-module")
PY
}

# gcore_of COMMAND...: runs COMMAND in the background, dumps it with gdb's gcore into $T/gcore,
# kills it; prints the core's path.
gcore_of() {
  "$@" &
  pid=$!
  sleep 0.5
  gcore -o "$T/gcore" "$pid" >/dev/null 2>&1 || { kill "$pid"; fail "gcore $*"; }
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$T/gcore.$pid"
}

# stamped_app APP_JSON LIB_JSON: builds $T/app, a native program that pauses forever, stamped
# with APP_JSON, linked to $T/libfoo.so stamped with LIB_JSON (both by GNU ld's own flag).
stamped_app() {
  printf 'int lib_value(void) { return 42; }\n' >"$T/lib.c"
  cat >"$T/main.c" <<'C'
#include <unistd.h>
int lib_value(void);
volatile int sink;
int main(void) { sink = lib_value(); for (;;) pause(); }
C
  gcc -shared -fPIC "$T/lib.c" -o "$T/libfoo.so" -Xlinker "--package-metadata=$2"
  gcc "$T/main.c" -o "$T/app" -L"$T" -lfoo -Wl,-rpath,"$T" -Xlinker "--package-metadata=$1"
}

# kernel_core_of COMMAND...: runs COMMAND in $T/kernel with core dumps enabled, kills it with
# SIGSEGV so that the kernel writes the core; prints the core's path. Exits 77 when the kernel
# writes no core file here (core_pattern pipes to a helper such as systemd-coredump, or is an
# absolute path elsewhere): gcore then stands in, in the tests that say so.
kernel_core_of() {
  case $(cat /proc/sys/kernel/core_pattern) in
  core | core.%p) ;;
  *) echo "skipped: core_pattern is '$(cat /proc/sys/kernel/core_pattern)'" >&2; return 77 ;;
  esac
  mkdir -p "$T/kernel"
  (
    cd "$T/kernel"
    ulimit -c unlimited 2>/dev/null || exit 77
    "$@" &
    pid=$!
    sleep 0.5
    kill -SEGV "$pid"
    wait "$pid" 2>/dev/null || true
  ) || return 77
  for core in "$T/kernel/core" "$T/kernel"/core.*; do
    [ -f "$core" ] && { echo "$core"; return 0; }
  done
  echo "skipped: the kernel wrote no core file" >&2
  return 77
}

# same_modules_as_elfutils CORE [ROOT]: pkgnote (--root ROOT, default /) lists each module once and
# the same build-ids as `eu-unstrip -n --core=CORE`, what systemd-coredump and eu-stack see.
same_modules_as_elfutils() {
  "$PKGNOTE" read --json --root "${2:-/}" "$1" >"$T/parity.json" || [ $? = 1 ] ||
    fail "pkgnote read $1"
  python3 - "$T/parity.json" >"$T/parity.pkgnote" <<'PY'
import json, sys
for module in json.loads(open(sys.argv[1]).readline())["modules"]:
    print(module.get("buildId", "-"))
PY
  eu-unstrip -n --core="$1" | awk '{ id = $2; sub(/@.*/, "", id); print id }' >"$T/parity.elfutils"
  sort "$T/parity.pkgnote" >"$T/parity.a"
  sort "$T/parity.elfutils" >"$T/parity.b"
  cmp -s "$T/parity.a" "$T/parity.b" ||
    fail "$1: pkgnote lists [$(tr '\n' ' ' <"$T/parity.a")], elfutils [$(tr '\n' ' ' <"$T/parity.b")]"
  [ -z "$(sort "$T/parity.pkgnote" | grep -v '^-$' | uniq -d)" ] || fail "$1: a build-id twice"
}

# small_pie NAME PACKAGE: a stamped PIE small enough (-z noseparate-code) that its text and its
# data segments both map file offset 0, so both mappings begin with its ELF header; prints its
# path. PACKAGE is the payload pkgnote generate writes.
small_pie() {
  printf '#include <unistd.h>\nint counter = 1;\nint main(void) { for (;;) pause(); }\n' >"$T/$1.c"
  "$PKGNOTE" generate --type deb --name "$1" --version 1.0 -o "$T/$1.ld" || fail "generate"
  gcc -O2 -fPIE -pie -Wl,-z,noseparate-code -Wl,-dT,"$T/$1.ld" "$T/$1.c" -o "$T/$1" ||
    fail "link $1"
  readelf -lW "$T/$1" | awk '$1 == "LOAD" && $2 ~ /^0x000/ { n++ } END { exit n != 2 }' ||
    fail "$1: both PT_LOADs should start in the file's first page"
  echo "$T/$1"
}

# core_of COMMAND...: a kernel core when this kernel writes one, else a gcore.
core_of() {
  kernel_core_of "$@" && return 0
  gcore_of "$@"
}
