#!/bin/sh
# Every tracked source file starts with `SPDX-License-Identifier: MIT` (after any #! line), so a
# file added without it fails here; scripts/add-spdx adds the missing lines.
set -eu
command -v git >/dev/null && git -C "$PKGNOTE_SOURCE_DIR" rev-parse --git-dir >/dev/null 2>&1 ||
  { echo "skipped: not a git checkout"; exit 77; }
"$PKGNOTE_SOURCE_DIR/scripts/add-spdx" --check
grep -q '^Copyright (c) 2026 the pkgnote authors$' "$PKGNOTE_SOURCE_DIR/LICENSE" || { echo "FAIL: LICENSE" >&2; exit 1; }
echo "ok: every tracked source file names its licence"
