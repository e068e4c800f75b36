#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote stamp` in place keeps every extended attribute and ACL of the file, as the real tools
# show them: a file capability (getcap; and the kernel grants it: the stamped program, run as
# nobody, has cap_net_raw effective), user.*, a security.selinux label, trusted.* (root), a
# POSIX ACL (getfacl), with owner and mode (setuid) kept too. A file without an ACL in a directory
# with a default ACL gets none. A capability that cannot be set (stamping as nobody) is an error:
# exit 2, file byte-identical, capability still there, no temporary file. A file carrying
# security.ima (a hash or signature of its old bytes) is refused.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
need gcc setcap getcap setfattr getfattr setfacl getfacl setpriv
[ "$(id -u)" = 0 ] || { echo "skipped: setcap, trusted.* and chown need root" >&2; exit 77; }
meta="--type deb --name stamp-test --version 1.0-1 --architecture amd64"
cat >"$T/caps.c" <<'C'
#include <stdio.h>
#include <string.h>
int main(void) {
  char line[256];
  FILE *status = fopen("/proc/self/status", "r");
  while (status && fgets(line, sizeof line, status))
    if (strncmp(line, "CapEff:", 7) == 0)
      fputs(line, stdout);
  return 0;
}
C
chmod 755 "$T"
dir=$T/d
mkdir -m 755 "$dir"
gcc -O2 "$T/caps.c" -o "$T/caps" || fail "link caps"
# CapEff of the program run as nobody: cap_net_raw is bit 13 (0x2000).
run_as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$1" | tr -d ' \t'; }

# Every kind of attribute on one file, plus an ACL and setuid.
f=$dir/prog
cp "$T/caps" "$f"
chown 1234:1234 "$f"
chmod 4755 "$f"
setfattr -n user.origin -v "from the build" "$f" || fail "setfattr user.origin"
expected="user.origin security.capability system.posix_acl_access"
# security.* labels and trusted.* need CAP_SYS_ADMIN, which a container's root may lack.
for attr in security.selinux=system_u:object_r:bin_t:s0 trusted.pkgnote-test=0x00ff; do
  if setfattr -n "${attr%%=*}" -v "${attr#*=}" "$f" 2>/dev/null; then
    expected="$expected ${attr%%=*}"
  else
    echo "note: root cannot set ${attr%%=*} here (no CAP_SYS_ADMIN): not checked" >&2
  fi
done
setfacl -m u:65534:rx,g:65534:r "$f"
setcap cap_net_raw+ep "$f"
getfattr -d -m - --absolute-names "$f" | grep -v '^#' | sort >"$T/xattrs.before"
getfacl -p "$f" >"$T/acl.before"
caps_before=$(getcap "$f")
[ -n "$caps_before" ] || fail "setcap set nothing"
[ "$(run_as_nobody "$f")" = "CapEff:0000000000002000" ] || fail "the unstamped copy: $(run_as_nobody "$f")"
ino_before=$(stat -c %i "$f")
# shellcheck disable=SC2086
"$PKGNOTE" stamp $meta "$f" 2>"$T/err" || fail "stamp: $(cat "$T/err")"
[ "$(stat -c %i "$f")" != "$ino_before" ] || fail "stamped in place, not replaced"
[ "$(note_count "$f")" = 1 ] || fail "not stamped"
[ "$(getcap "$f")" = "$caps_before" ] || fail "capability '$caps_before' became '$(getcap "$f")'"
getfattr -d -m - --absolute-names "$f" | grep -v '^#' | sort >"$T/xattrs.after"
diff "$T/xattrs.before" "$T/xattrs.after" >&2 || fail "extended attributes changed"
getfacl -p "$f" >"$T/acl.after"
diff "$T/acl.before" "$T/acl.after" >&2 || fail "ACL changed"
grep -q '^user:nobody:r-x' "$T/acl.after" || fail "getfacl shows no ACL: $(cat "$T/acl.after")"
for want in $expected; do
  grep -q "^$want=" "$T/xattrs.after" || fail "$want missing: $(cat "$T/xattrs.after")"
done
[ "$(stat -c %a:%u:%g "$f")" = 4755:1234:1234 ] || fail "mode or owner: $(stat -c %a:%u:%g "$f")"
[ "$(run_as_nobody "$f")" = "CapEff:0000000000002000" ] || fail "stamped: the kernel grants $(run_as_nobody "$f")"
[ "$(ls -A "$dir")" = prog ] || fail "left behind: $(ls -A "$dir")"

# A directory with a default ACL: a new file there inherits an access ACL; the stamped copy of a
# file that had none must not gain one.
acldir=$T/acl-default
mkdir "$acldir"
cp "$T/caps" "$acldir/prog"
setfacl -d -m u:65534:rwx "$acldir"
[ -z "$(getfattr -m - --absolute-names "$acldir/prog" 2>/dev/null)" ] || fail "prog has attributes"
# shellcheck disable=SC2086
"$PKGNOTE" stamp $meta "$acldir/prog" 2>"$T/err" || fail "stamp in a default-ACL directory: $(cat "$T/err")"
[ -z "$(getfattr -m - --absolute-names "$acldir/prog" 2>/dev/null)" ] ||
  fail "gained attributes: $(getfattr -d -m - --absolute-names "$acldir/prog")"
[ "$(stat -c %a "$acldir/prog")" = 755 ] || fail "mode: $(stat -c %a "$acldir/prog")"

# As nobody, the capability cannot be set again: exit 2, nothing changed.
nd=$T/nobody
mkdir "$nd"
cp "$T/caps" "$nd/prog"
chown -R 65534:65534 "$nd"
setcap cap_net_raw+ep "$nd/prog"
cp -p "$nd/prog" "$T/prog.before"
cp "$PKGNOTE" "$T/pkgnote" # nobody may not reach the build directory
status=0
# shellcheck disable=SC2086
setpriv --reuid=65534 --regid=65534 --clear-groups "$T/pkgnote" stamp $meta "$nd/prog" 2>"$T/err" || status=$?
[ $status = 2 ] || fail "stamping as nobody: exit $status, not 2: $(cat "$T/err")"
grep -qx "pkgnote: error: '$nd/prog': cannot keep extended attribute security.capability: operation not permitted" "$T/err" ||
  fail "message: $(cat "$T/err")"
cmp -s "$nd/prog" "$T/prog.before" || fail "refused but changed"
[ "$(getcap "$nd/prog")" = "$nd/prog cap_net_raw=ep" ] || fail "capability lost: $(getcap "$nd/prog")"
[ "$(ls -A "$nd")" = prog ] || fail "left behind: $(ls -A "$nd")"

# security.ima vouches for the old bytes: refused (where the kernel lets root set it at all).
cp "$T/caps" "$dir/signed"
if setfattr -n security.ima -v 0x0404aabbccdd "$dir/signed" 2>/dev/null; then
  cp "$dir/signed" "$T/signed.before"
  status=0
  # shellcheck disable=SC2086
  "$PKGNOTE" stamp $meta "$dir/signed" 2>"$T/err" || status=$?
  [ $status = 2 ] && grep -q "'$dir/signed': carries security.ima" "$T/err" ||
    fail "security.ima: exit $status: $(cat "$T/err")"
  cmp -s "$dir/signed" "$T/signed.before" || fail "security.ima: refused but changed"
else
  echo "note: this kernel does not let root set security.ima; that refusal is not checked" >&2
fi
echo "ok: capability (granted by the kernel after stamping), user.*, security.selinux, trusted.*, ACL, owner and setuid kept"
