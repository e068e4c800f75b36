#!/bin/sh
# SPDX-License-Identifier: MIT
# Every pkgnote example of the README, the man pages and --help runs on fixtures and prints what
# the docs say (exit status and shape): tests/e2e/docs-examples.py.
set -eu
: "${PKGNOTE:?}" "${PKGNOTE_SOURCE_DIR:?}"
for tool in python3 gcc gdb gcore dpkg-deb rpmbuild; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps)" >&2; exit 1; }
done
exec python3 "$PKGNOTE_SOURCE_DIR/tests/e2e/docs-examples.py" "$PKGNOTE" "$PKGNOTE_SOURCE_DIR"
