#!/bin/sh
# SPDX-License-Identifier: MIT
# A kernel core (ulimit -c, SIGSEGV) and a gcore of the same stamped program: pkgnote lists every
# module elfutils lists (eu-unstrip -n --core), each once, the vDSO included: found through
# AT_SYSINFO_EHDR (NT_FILE does not name it), named by its DT_SONAME, with elfutils' build-id and
# no package. When the kernel writes no core file here, the kernel half says so and is skipped.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb eu-unstrip

app=$(small_pie app)
check() {
  same_modules_as_elfutils "$1"
  vdso=$(eu-unstrip -n --core="$1" | awk '$NF ~ /^linux-(vdso|gate)/ { id = $2; sub(/@.*/, "", id); print $NF, id }')
  [ -n "$vdso" ] || fail "$1: elfutils lists no vDSO"
  set -- "$1" $vdso
  [ "$(module_field "$T/parity.json" "$2" buildId)" = "$3" ] || fail "$1: vDSO $2 build-id"
  [ "$(module_field "$T/parity.json" "$2" package)" = absent ] || fail "$1: vDSO has a package"
  [ "$(module_field "$T/parity.json" "$app" package)" = '{"type":"deb","name":"app","version":"1.0"}' ] ||
    fail "$1: app package"
  echo "ok: $(basename "$1"): $(wc -l <"$T/parity.pkgnote") modules as elfutils, $2 included"
}

check "$(gcore_of "$app")"
status=0
core=$(kernel_core_of "$app") || status=$?
[ $status = 0 ] || { [ $status = 77 ] && echo "kernel core: skipped" && exit 0; fail "kernel core"; }
check "$core"
