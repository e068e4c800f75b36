#!/bin/sh
# SPDX-License-Identifier: MIT
# Every file of the malformed corpus (tests/malformed/) gives exactly the exit status and error
# message recorded in tests/malformed/expected.tsv: no crash, hang or sanitizer report.
set -eu
command -v python3 >/dev/null || exit 77
exec python3 "$PKGNOTE_SOURCE_DIR/tests/malformed/run-corpus.py" "$PKGNOTE"
