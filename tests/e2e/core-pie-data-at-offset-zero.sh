#!/bin/sh
# SPDX-License-Identifier: MIT
# A small stamped PIE whose text and data mappings both map file offset 0, so the core holds its
# ELF header twice: pkgnote lists it once, with its package, and the same build-ids as elfutils;
# also in the shape of a core from a kernel before 3.7 (NT_FILE hidden), where images are found
# from the auxiliary vector, link_map and ELF headers at segment starts (the data mapping's header
# is then a second mapping of the executable, not another image).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb eu-unstrip

pie=$(small_pie tiny)
core=$(core_of "$pie")
package='{"type":"deb","name":"tiny","version":"1.0"}'
id=$(readelf -n "$pie" | sed -n 's/^ *Build ID: //p')

[ "$(eu-readelf -n "$core" | grep -c " 00000000 .*$pie\$")" = 2 ] ||
  fail "the core should map $pie at file offset 0 twice"
same_modules_as_elfutils "$core"
[ "$(module_field "$T/parity.json" "$pie" package)" = "$package" ] || fail "package"
[ "$(grep -c "^$id\$" "$T/parity.pkgnote")" = 1 ] || fail "$pie listed $(grep -c "^$id\$" "$T/parity.pkgnote") times"
echo "ok: with NT_FILE, $pie once"

cp "$core" "$T/old-kernel.core"
python3 "$PKGNOTE_SOURCE_DIR/tests/e2e/core-edit.py" hide-file-note "$T/old-kernel.core"
same_modules_as_elfutils "$T/old-kernel.core"
[ "$(grep -c "^$id\$" "$T/parity.pkgnote")" = 1 ] || fail "without NT_FILE: $pie not listed once"
grep -q "\"buildId\":\"$id\",\"package\":$package" "$T/parity.json" || fail "without NT_FILE: package"
echo "ok: without NT_FILE, $pie once"
