# SPDX-License-Identifier: MIT
# Shared by the tests/e2e/cyclonedx-*.sh scripts (sourced, not a test itself): a scratch
# directory, the node packages that check CycloneDX documents (installed once per build tree from
# the npm registry; the test is skipped only when the registry cannot be reached), and a program
# stamped with a given note.
# The scratch directory, fail, need and the program and core builders are core-*.sh's.
. "$(dirname "$0")/core-helpers.sh"
: "${PKGNOTE_SOURCE_DIR:?}"
need node npm gcc python3 flock

# Pinned: the schema is CycloneDX's own bom-1.6 (with the SPDX and JSF schemas it refers to), as
# @cyclonedx/cyclonedx-library ships it; ajv validates it the way that library does.
NODE_PACKAGES="@cyclonedx/cyclonedx-library@10.3.0 ajv@8.20.0 ajv-formats@3.0.1 packageurl-js@2.0.1"
NODE_DIR=${PKGNOTE_NODE_DIR:-$(dirname "$(dirname "$PKGNOTE")")/node-test-tools}

# Installs NODE_PACKAGES into NODE_DIR once (under a lock: the cyclonedx tests run in parallel).
node_tools() {
  mkdir -p "$NODE_DIR"
  stamp="$NODE_DIR/installed $(echo "$NODE_PACKAGES" | tr ' /@' '_+=')"
  (
    flock 9
    [ -f "$stamp" ] && exit 0
    # A quick ping first: npm install alone retries an unreachable registry for minutes.
    npm ping --cache "$NODE_DIR/npm-cache" --fetch-timeout=10000 --fetch-retries=0 \
      >/dev/null 2>&1 || exit 77
    if ! npm install --prefix "$NODE_DIR" --cache "$NODE_DIR/npm-cache" --no-audit --no-fund \
      --ignore-scripts --omit=optional --omit=peer --fetch-retries=1 --fetch-timeout=30000 \
      $NODE_PACKAGES >"$NODE_DIR/install.log" 2>&1; then
      npm ping --cache "$NODE_DIR/npm-cache" --fetch-timeout=15000 >/dev/null 2>&1 || exit 77
      cat "$NODE_DIR/install.log" >&2
      exit 1
    fi
    touch "$stamp"
  ) 9>"$NODE_DIR/lock" || {
    status=$?
    [ "$status" = 77 ] && { echo "skipped: the npm registry cannot be reached" >&2; exit 77; }
    fail "npm install $NODE_PACKAGES"
  }
}

# check_documents DOCUMENT...: schema-valid, refs consistent (cyclonedx-check.js); prints each
# purl decoded by packageurl-js: PURL TYPE NAMESPACE NAME VERSION QUALIFIERS, tab-separated.
check_documents() {
  node "$PKGNOTE_SOURCE_DIR/tests/e2e/cyclonedx-check.js" "$NODE_DIR/node_modules" "$@" ||
    fail "cyclonedx-check.js $*"
}

# stamped_program OUT METADATA-OPTION...: a native program stamped by `pkgnote generate`'s
# linker script with the given metadata options.
stamped_program() {
  out=$1
  shift
  [ -f "$T/main.c" ] || printf 'int main(void) { return 0; }\n' >"$T/main.c"
  "$PKGNOTE" generate "$@" -o "$T/note.ld"
  gcc -o "$out" "$T/main.c" -Wl,-dT,"$T/note.ld"
}

# json_get FILE EXPRESSION: a Python expression over the parsed document `d`, printed.
json_get() {
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
