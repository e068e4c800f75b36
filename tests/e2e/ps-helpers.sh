# SPDX-License-Identifier: MIT
# Shared by the tests/e2e/ps-*.sh scripts (sourced, not a test itself): the scratch directory and
# fail/need of core-helpers.sh, processes started in the background and killed on exit, a stamped
# library in two versions and a program linked to it, and a JSON field reader for `ps --json`.
[ -n "${T:-}" ] || . "$(dirname "$0")/core-helpers.sh" # once, also after cyclonedx-helpers.sh
need gcc python3

STARTED=""
cleanup() {
  for pid in $STARTED; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in $STARTED; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT

# start_bg COMMAND...: runs COMMAND in the background, remembered in STARTED; sets PID.
start_bg() {
  "$@" </dev/null >/dev/null 2>&1 &
  PID=$!
  STARTED="$STARTED $PID"
}

# wait_maps PID PATTERN: until PID's maps name PATTERN (the loader has mapped it), 10 s at most.
wait_maps() {
  i=0
  until grep -q -- "$2" "/proc/$1/maps" 2>/dev/null; do
    i=$((i + 1))
    [ "$i" -lt 200 ] || fail "process $1 never mapped $2"
    sleep 0.05
  done
}

# stamped_library OUT VERSION: $T/lib.c built as a shared object (soname libv.so) whose note says
# deb libv VERSION, by `pkgnote generate`'s linker script.
stamped_library() {
  [ -f "$T/lib.c" ] || printf 'int lib_value(void) { return 42; }\n' >"$T/lib.c"
  "$PKGNOTE" generate --type deb --name libv --version "$2" --architecture amd64 -o "$T/lib-$2.ld"
  gcc -shared -fPIC "$T/lib.c" -o "$1" -Wl,-soname,libv.so -Wl,-dT,"$T/lib-$2.ld"
}

# paused_program OUT LIBDIR [RUNPATH]: a program stamped deb app 7 that calls into LIBDIR/libv.so
# (found at run time in RUNPATH, by default LIBDIR) and then pauses until killed.
paused_program() {
  cat >"$T/app.c" <<'C'
#include <unistd.h>
int lib_value(void);
volatile int sink;
int main(void) { sink = lib_value(); for (;;) pause(); }
C
  "$PKGNOTE" generate --type deb --name app --version 7 --architecture amd64 -o "$T/app.ld"
  gcc "$T/app.c" -o "$1" -L"$2" -lv -Wl,-rpath,"${3:-$2}" -Wl,-dT,"$T/app.ld"
}

# ps_module JSONFILE PID MODULEPATH FIELD: a field of a module of the process record, FIELD a
# dotted path ("installed.package.version"): compact JSON for objects, "null", "true"/"false",
# "absent", or "no-module"/"no-process".
ps_module() {
  python3 - "$@" <<'PY'
import json, sys
path, pid, module_path, field = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for line in open(path):
    record = json.loads(line)
    if record["pid"] != pid:
        continue
    for module in record.get("modules", []):
        if module["path"] == module_path:
            value = module
            for key in field.split("."):
                value = value.get(key, "absent") if isinstance(value, dict) else "absent"
            print(json.dumps(value, separators=(",", ":"), ensure_ascii=False)
                  if not isinstance(value, str) else value)
            sys.exit(0)
    print("no-module")
    sys.exit(0)
print("no-process")
PY
}

# ps_field JSONFILE PID FIELD: a field of the process record, as ps_module prints it.
ps_field() {
  python3 - "$@" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    record = json.loads(line)
    if record["pid"] == int(sys.argv[2]):
        value = record.get(sys.argv[3], "absent")
        print(json.dumps(value, separators=(",", ":"), ensure_ascii=False)
              if not isinstance(value, str) else value)
        sys.exit(0)
print("no-process")
PY
}
