#!/bin/sh
# SPDX-License-Identifier: MIT
# `read --deps --root TREE` resolves inside TREE as glibc's loader would in a chroot: a
# DT_RUNPATH with $ORIGIN, the tree's /etc/ld.so.conf with an include of a conf.d directory, a
# 32-bit library of the same soname earlier in the search (skipped), a symbolic link inside the
# tree (followed, absolute target taken from the tree's root) and links that escape it (not
# followed out, though their targets exist on the host). The real loader agrees on the same
# search where it can be run without a chroot: LD_LIBRARY_PATH standing for the conf.d entry.
. "$(dirname "$0")/core-helpers.sh"
need gcc readelf
R="$T/root"
mkdir -p "$R/opt/app/bin" "$R/opt/app/lib" "$R/opt/conf/lib" "$R/opt/real" "$R/etc/ld.so.conf.d" \
  "$R/usr/lib/x86_64-linux-gnu" "$T/outside"
printf 'int f(void) { return 1; }\n' >"$T/f.c"
lib() { # lib OUT SONAME [gcc options]
  out=$1 soname=$2
  shift 2
  gcc -shared -fPIC -nostdlib -Wl,-soname,"$soname" "$@" -o "$out" "$T/f.c"
}
lib "$R/opt/app/lib/libapp.so.1" libapp.so.1
lib "$R/opt/conf/lib/libconf.so.1" libconf.so.1
lib "$R/opt/conf/lib/libdual.so.1" libdual.so.1 -m32 # searched first: another class
lib "$R/usr/lib/x86_64-linux-gnu/libdual.so.1" libdual.so.1
lib "$R/opt/real/liblink.so.1.0" liblink.so.1
ln -s /opt/real/liblink.so.1.0 "$R/usr/lib/x86_64-linux-gnu/liblink.so.1"
lib "$T/outside/libesc.so.1" libesc.so.1
lib "$T/outside/libabs.so.1" libabs.so.1
ln -s "../../../../../../../../../../../../../../..$T/outside/libesc.so.1" "$R/usr/lib/x86_64-linux-gnu/libesc.so.1"
ln -s "$T/outside/libabs.so.1" "$R/usr/lib/x86_64-linux-gnu/libabs.so.1"
printf '# the tree'"'"'s own loader configuration\ninclude ld.so.conf.d/*.conf\n' >"$R/etc/ld.so.conf"
printf '/opt/conf/lib\n' >"$R/etc/ld.so.conf.d/conf.conf"
printf '/nowhere\n' >"$R/etc/ld.so.conf.d/ignored.conf.off"

printf 'int main(void) { return 0; }\n' >"$T/main.c"
# Linked against the libraries where they are (and the escaping ones outside), needing them all.
gcc -o "$R/opt/app/bin/app" "$T/main.c" -Wl,--no-as-needed,--enable-new-dtags,-rpath,'$ORIGIN/../lib' \
  "$R/opt/app/lib/libapp.so.1" "$R/opt/conf/lib/libconf.so.1" "$R/usr/lib/x86_64-linux-gnu/libdual.so.1" \
  "$R/opt/real/liblink.so.1.0" "$T/outside/libesc.so.1" "$T/outside/libabs.so.1"
readelf -d "$R/opt/app/bin/app" | grep -q 'RUNPATH.*\$ORIGIN/../lib' || fail "no DT_RUNPATH"

status=0
"$PKGNOTE" read --deps --json --root "$R" "$R/opt/app/bin/app" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 1 ] || fail "status $status (the program is unstamped): $(cat "$T/err")"
python3 - "$T/out" "$R" <<'PY' || fail "resolved: $(cat "$T/out")"
import json, sys
d = json.loads(open(sys.argv[1]).read())
root = sys.argv[2]
assert d["needed"] == ["libapp.so.1", "libconf.so.1", "libdual.so.1", "liblink.so.1",
                       "libesc.so.1", "libabs.so.1", "libc.so.6"], d["needed"]
assert d["runpath"] == "$ORIGIN/../lib", d
assert "rpath" not in d, d
want = {
    "libapp.so.1": root + "/opt/app/lib/libapp.so.1",        # $ORIGIN/../lib
    "libconf.so.1": root + "/opt/conf/lib/libconf.so.1",     # ld.so.conf.d/conf.conf
    "libdual.so.1": root + "/usr/lib/x86_64-linux-gnu/libdual.so.1",  # the 32-bit one skipped
    "liblink.so.1": root + "/opt/real/liblink.so.1.0",       # link inside the tree
    "libesc.so.1": None,                                     # escapes: not followed out
    "libabs.so.1": None,                                     # host path: not in the tree
    "libc.so.6": None,                                       # the tree has no libc
}
assert d["resolved"] == want, d["resolved"]
PY

# The text form lists each needed name with where it was found.
"$PKGNOTE" read --deps --root "$R" "$R/opt/app/bin/app" >"$T/text" 2>/dev/null || true
grep -q "^needed: *libapp.so.1 => $R/opt/app/lib/libapp.so.1\$" "$T/text" || fail "text: $(cat "$T/text")"
grep -q "^needed: *libesc.so.1 => not found\$" "$T/text" || fail "text: $(cat "$T/text")"
grep -q '^runpath: *\$ORIGIN/../lib$' "$T/text" || fail "text: $(cat "$T/text")"

# The loader itself, told the conf.d directory by LD_LIBRARY_PATH (it cannot read the tree's
# ld.so.conf without a chroot), takes the same libapp, libconf and libdual for a program that
# needs only those (it stops at the first library it cannot find).
gcc -o "$R/opt/app/bin/app2" "$T/main.c" -Wl,--no-as-needed,--enable-new-dtags,-rpath,'$ORIGIN/../lib' \
  "$R/opt/app/lib/libapp.so.1" "$R/opt/conf/lib/libconf.so.1" "$R/usr/lib/x86_64-linux-gnu/libdual.so.1"
"$PKGNOTE" read --deps --json --root "$R" "$R/opt/app/bin/app2" >"$T/out2" 2>/dev/null || true
LD_LIBRARY_PATH="$R/opt/conf/lib:$R/usr/lib/x86_64-linux-gnu" \
  /lib64/ld-linux-x86-64.so.2 --list "$R/opt/app/bin/app2" >"$T/ldso" 2>&1 || fail "ld.so: $(cat "$T/ldso")"
for name in libapp.so.1 libconf.so.1 libdual.so.1; do
  theirs=$(sed -n "s/^\s*$name => \(\S*\) .*/\1/p" "$T/ldso")
  ours=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["resolved"][sys.argv[2]])' "$T/out2" "$name")
  [ -n "$theirs" ] && [ "$(realpath "$theirs")" = "$(realpath "$ours")" ] ||
    fail "$name: ld.so $theirs, pkgnote $ours"
done

# Without --deps nothing of it is read.
"$PKGNOTE" read --json "$R/opt/app/bin/app" 2>/dev/null | grep -q '"needed"' && fail "plain read has deps"
echo ok
