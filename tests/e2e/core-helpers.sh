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
