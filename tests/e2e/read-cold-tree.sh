#!/bin/sh
# SPDX-License-Identifier: MIT
# The default --jobs on a machine of fewer than 4 cores: a warm tree is read on one thread (no
# thread is started), a cold one (its files evicted from the page cache with
# posix_fadvise(DONTNEED)) starts threads part-way through the walk, and both print exactly what
# --jobs 1 prints, in the same order. Threads started are counted with strace (clone3/clone).
. "$PKGNOTE_SOURCE_DIR/tests/e2e/core-helpers.sh"
need strace
cores=$(nproc)
[ "$cores" -ge 2 ] && [ "$cores" -lt 4 ] || { echo "skipped: $cores cores (the default only waits for cold files on 2 or 3)" >&2; exit 77; }

# 4 directories of 100 ELF files (copies of /usr/bin/true) and 100 text files each, made by one
# python3 process; evict drops their pages, and exits 1 if the first file is still in memory
# after that (tmpfs) and reading it does not reach storage.
python3 - "$T/tree" <<'PY'
import os, sys
elf = open("/usr/bin/true", "rb").read()
for d in range(4):
    os.makedirs(f"{sys.argv[1]}/d{d}")
    for i in range(100):
        with open(f"{sys.argv[1]}/d{d}/elf{i}", "wb") as f:
            f.write(elf)
        with open(f"{sys.argv[1]}/d{d}/text{i}", "w") as f:
            f.write(f"not ELF {i}\n")
PY
sync
evict() {
  python3 - "$T/tree" <<'PY'
import os, resource, sys
for d, _, files in os.walk(sys.argv[1]):
    for name in files:
        fd = os.open(os.path.join(d, name), os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
PY
}
# threads_started FILE: clone calls in an strace log.
threads_started() { grep -c -E '^[0-9]+ +clone3?\(' "$1" || true; }

"$PKGNOTE" read -r --json --jobs 1 "$T/tree" >"$T/expected" || [ $? = 1 ] || fail "--jobs 1: exit $?"
[ "$(wc -l <"$T/expected")" = 400 ] || fail "--jobs 1: $(wc -l <"$T/expected") reports, expected 400"

strace -f -o "$T/warm.trace" -e trace=clone,clone3 "$PKGNOTE" read -r --json "$T/tree" >"$T/warm" ||
  [ $? = 1 ] || fail "warm: exit $?"
cmp -s "$T/expected" "$T/warm" || fail "warm: output differs from --jobs 1"
[ "$(threads_started "$T/warm.trace")" = 0 ] || fail "warm: threads started: $(cat "$T/warm.trace")"
echo "ok: a warm tree is read on one thread"

evict
# Whether the files were really evicted (not on tmpfs): reading one must reach storage.
python3 - "$T/tree/d0/elf0" <<'PY' || { echo "skipped: the files stay in memory here" >&2; exit 77; }
import os, resource, sys
before = resource.getrusage(resource.RUSAGE_SELF).ru_inblock
with open(sys.argv[1], "rb") as f:
    f.read(4096)
sys.exit(0 if resource.getrusage(resource.RUSAGE_SELF).ru_inblock > before else 1)
PY
evict
strace -f -o "$T/cold.trace" -e trace=clone,clone3 "$PKGNOTE" read -r --json "$T/tree" >"$T/cold" ||
  [ $? = 1 ] || fail "cold: exit $?"
cmp -s "$T/expected" "$T/cold" || { diff "$T/expected" "$T/cold" | head >&2; fail "cold: output differs from --jobs 1"; }
started=$(threads_started "$T/cold.trace")
[ "$started" = $((2 * cores - 1)) ] || fail "cold: $started threads started, expected $((2 * cores - 1))"
echo "ok: a cold tree starts $started threads part-way and prints what --jobs 1 prints"
