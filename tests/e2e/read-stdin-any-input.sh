#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote read -`: stdin is any input kind, read in one forward pass from a pipe (no seeking),
# with nothing written: an ELF file, a gcore of a stamped process, that core compressed by the
# real zstd and xz (coredumpctl dump's form), a gzip ELF file; each report equals the file's own
# apart from the path ("-"). Garbage on stdin is exit 2 naming '-'. The images on stdin are
# in image-read-equals-umoci-unpack.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb zstd xz gzip strace

app='{"type":"deb","name":"app","version":"2.0-1","architecture":"amd64"}'
lib='{"type":"deb","name":"libfoo","version":"1.0","architecture":"amd64"}'
stamped_app "$app" "$lib"
mv "$(gcore_of "$T/app")" "$T/native.core"

same() { # FILE PIPE-COMMAND: the report of FILE equals the report of the pipe's output on stdin
  "$PKGNOTE" read --json "$1" | sed 's/^{"path":"[^"]*"/{"path":"-"/' >"$T/want"
  status=0
  sh -c "$2" | "$PKGNOTE" read --json - >"$T/got" || status=$?
  [ "$status" -le 1 ] || fail "$2 | pkgnote read -: status $status"
  cmp -s "$T/want" "$T/got" || fail "$2 | pkgnote read -: $(diff "$T/want" "$T/got")"
}
same "$T/app" "cat '$T/app'"
same "$T/native.core" "cat '$T/native.core'"
same "$T/native.core" "zstd -qc '$T/native.core'"
same "$T/native.core" "xz -T2 -qc '$T/native.core'"
gzip -c "$T/app" >"$T/app.gz"
same "$T/app" "cat '$T/app.gz'"
zstd -qc "$T/native.core" | "$PKGNOTE" read --json - | grep -q '"modules":\[{.*"name":"libfoo"' ||
  fail "the core's modules were not read from stdin"

# From a pipe: no lseek succeeds, no file is opened for writing.
# shellcheck disable=SC2002 # a pipe, not a redirected file, is the point
cat "$T/native.core" | strace -f -e trace=lseek,openat -o "$T/trace" "$PKGNOTE" read --json - >/dev/null
! grep -E 'lseek\(0,' "$T/trace" | grep -qv ESPIPE || fail "stdin was seeked: $(grep lseek "$T/trace")"
! grep -E 'openat\(.*O_(WRONLY|RDWR|CREAT)' "$T/trace" || fail "a file was opened for writing"

status=0
printf 'not an input' | "$PKGNOTE" read - 2>"$T/err" >/dev/null || status=$?
[ "$status" = 2 ] || fail "garbage on stdin: status $status"
grep -q "^pkgnote: error: '-': not an ELF file, core, PE image, compressed file or image archive$" "$T/err" ||
  fail "garbage on stdin: $(cat "$T/err")"
echo ok
