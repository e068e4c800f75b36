#!/bin/sh
# SPDX-License-Identifier: MIT
# Compressed cores, as systemd-coredump keeps them: a gcore of a stamped native process and a qemu
# guest core of a dynamic aarch64 program (its link_map read from the core), each compressed by
# the real zstd, xz, lz4, gzip and bzip2 tools. Each report equals the plain core's apart from the path,
# in JSON and in text; the reads open the compressed file a bounded number of times (one per
# pass, counted with strace) and never write or create a file; `pkgnote read -r` over a directory
# laid out like /var/lib/systemd/coredump reads every core and skips a compressed non-ELF file.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need gcc gdb zstd xz lz4 gzip bzip2

app='{"type":"deb","name":"app","version":"2.0-1","architecture":"amd64"}'
lib='{"type":"deb","name":"libfoo","version":"1.0","architecture":"amd64"}'
stamped_app "$app" "$lib"
mv "$(gcore_of "$T/app")" "$T/native.core"
cores=native

if command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64-static >/dev/null &&
  [ -d /usr/aarch64-linux-gnu/lib ]; then
  printf 'int bar(int *p) { return *p; }\n' >"$T/bar.c"
  printf 'int bar(int *p);\nint main(void) { return bar(0); }\n' >"$T/dyn.c"
  aarch64-linux-gnu-gcc -shared -fPIC "$T/bar.c" -o "$T/libbar.so" \
    -Xlinker '--package-metadata={"type":"deb","name":"libbar","version":"6.0"}'
  aarch64-linux-gnu-gcc "$T/dyn.c" -o "$T/dyn" -L"$T" -lbar -Wl,-rpath,"$T" \
    -Xlinker '--package-metadata={"type":"deb","name":"dyn","version":"5.0"}'
  mkdir "$T/cores"
  (cd "$T/cores" && ulimit -c unlimited && qemu-aarch64-static -L /usr/aarch64-linux-gnu "$T/dyn") \
    >/dev/null 2>&1 || true
  for c in "$T"/cores/qemu_dyn_*.core; do [ -f "$c" ] && mv "$c" "$T/qemu.core" && cores="$cores qemu"; done
fi
"$PKGNOTE" read --json "$T/native.core" >"$T/native.json" || fail "plain native core: exit $?"
[ "$(module_field "$T/native.json" "$T/app" package)" = "$app" ] || fail "plain core: app package"
[ "$(module_field "$T/native.json" "$T/libfoo.so" package)" = "$lib" ] || fail "plain core: lib package"

# same_report PLAIN OTHER FORMAT: the reports agree but for the path.
same_report() {
  "$PKGNOTE" read $3 "$1" >"$T/a" 2>&1 || true
  "$PKGNOTE" read $3 "$2" >"$T/b" 2>&1 || fail "$2: exit $?: $(cat "$T/b")"
  sed -e "s|$1|PATH|g" "$T/a" >"$T/a.norm"
  sed -e "s|$2|PATH|g" "$T/b" >"$T/b.norm"
  cmp -s "$T/a.norm" "$T/b.norm" || { diff "$T/a.norm" "$T/b.norm" >&2; fail "$2 $3 differs"; }
}

max_passes=0
for core in $cores; do
  plain=$T/$core.core
  for tool in zstd xz lz4 gzip bzip2; do
    packed=$T/$core.core.$tool
    $tool -q -c "$plain" >"$packed"
    same_report "$plain" "$packed" --json
    same_report "$plain" "$packed" ""
    if command -v strace >/dev/null; then
      strace -f -o "$T/trace" -e trace=openat,open,creat,memfd_create "$PKGNOTE" read "$packed" >/dev/null
      ! grep -E 'O_WRONLY|O_RDWR|O_CREAT|memfd_create|creat\(' "$T/trace" || fail "$packed: writes"
      # One open to look at the file, one per pass.
      passes=$(( $(grep -c "\"$packed\"" "$T/trace") - 1 ))
      [ "$passes" -ge 1 ] && [ "$passes" -le 3 ] || fail "$packed: $passes passes"
      [ "$passes" -gt "$max_passes" ] && max_passes=$passes
    fi
  done
  echo "ok: $core core, zstd xz lz4 gzip bzip2: reports equal the plain core's"
done
echo "ok: at most $max_passes pass(es) per compressed core"

# systemd-coredump's store: core.COMM.UID.BOOTID.PID.USEC.zst, beside a compressed journal-like
# file that is not ELF.
store=$T/coredump
mkdir "$store"
boot=0123456789abcdef0123456789abcdef
zstd -q -c "$T/native.core" >"$store/core.app.0.$boot.4242.1700000000000000.zst"
xz -c "$T/native.core" >"$store/core.app.1000.$boot.4343.1700000000000001.xz"
lz4 -q -c "$T/native.core" >"$store/core.app.0.$boot.4444.1700000000000002.lz4"
bzip2 -c "$T/native.core" >"$store/core.app.0.$boot.4545.1700000000000003.bz2"
printf 'not a core\n' | zstd -q >"$store/notes.zst"
printf 'not a core\n' | bzip2 >"$store/notes.bz2"
"$PKGNOTE" read -r --json "$store" >"$T/store.json" 2>"$T/store.err" || fail "store: exit $?"
[ "$(wc -l <"$T/store.json")" -eq 4 ] || fail "store: $(wc -l <"$T/store.json") reports, expected 4"
[ ! -s "$T/store.err" ] || grep -q "files read: 4" "$T/store.err" || fail "store: $(cat "$T/store.err")"
"$PKGNOTE" read --json "$T/native.core" | sed 's|"path":"[^"]*"||' >"$T/plain.norm"
sed 's|"path":"[^"]*"||' "$T/store.json" | while read -r line; do
  [ "$line" = "$(cat "$T/plain.norm")" ] || fail "store report differs: $line"
done
echo "ok: --recursive over a systemd-coredump store"
