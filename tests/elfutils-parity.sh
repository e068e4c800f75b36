#!/bin/sh
# SPDX-License-Identifier: MIT
# Manual check, not run by ctest: compares the modules `pkgnote read` lists for each core file in
# DIR with those `eu-unstrip -n --core` lists (what systemd-coredump and eu-stack see). DIR holds
# elfutils' test files (tests/*.bz2 of the elfutils repository, unpacked by the caller: they are
# GPL/LGPL and never checked in here); nothing is fetched. A core is "equal" when both list the
# same build-ids, each as often ('-' for a module without one). When DIR holds the core's
# executable (CORE.exec, or CORE without .core), elfutils gets it with -e, as its own tests do.
# Usage: tests/elfutils-parity.sh PKGNOTE DIR  ->  one line per core, then "equal: N of M".
set -eu
pkgnote=$1
dir=$2
command -v eu-unstrip >/dev/null || { echo "eu-unstrip (elfutils) is needed" >&2; exit 2; }
equal=0
total=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for core in "$dir"/*; do
  # ET_CORE, either byte order: e_type 4 at offset 16.
  [ "$(head -c 4 "$core" 2>/dev/null)" = "$(printf '\177ELF')" ] || continue
  etype=$(od -An -tx1 -j16 -N2 "$core" | tr -d ' \n')
  [ "$etype" = 0400 ] || [ "$etype" = 0004 ] || continue
  total=$((total + 1))
  name=$(basename "$core")
  exe=
  for candidate in "${core%.core}.exec" "${core%.core}"; do
    if [ "$candidate" != "$core" ] && [ -f "$candidate" ]; then exe=$candidate; break; fi
  done
  (cd "$dir" && eu-unstrip -n --core="$core" ${exe:+-e "$exe"} 2>/dev/null || true) |
    awk '{ id = $2; sub(/@.*/, "", id); print id }' | sort >"$work/elfutils"
  "$pkgnote" read --json "$core" 2>/dev/null |
    python3 -c '
import json, sys
for line in sys.stdin:
    for module in json.loads(line).get("modules", []):
        print(module.get("buildId", "-"))' | sort >"$work/pkgnote" || true
  if cmp -s "$work/elfutils" "$work/pkgnote"; then
    equal=$((equal + 1))
    echo "equal    $name ($(wc -l <"$work/elfutils") modules)"
  else
    echo "differs  $name: elfutils [$(tr '\n' ' ' <"$work/elfutils")] pkgnote [$(tr '\n' ' ' <"$work/pkgnote")]"
  fi
done
echo "equal: $equal of $total"
