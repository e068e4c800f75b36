#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Shrinks a little-endian ELF64 core for the fuzz seed corpus (fuzz/make-seeds.sh): the bytes of
# writable PT_LOAD segments over 16 KiB (the initial stack: 132 KiB of a 170 KiB core, where no
# module header lives) are dropped (p_filesz 0, as for a page the dumper left out), and the notes
# are moved first, as the kernel writes them. The result is still a real core, read the same way,
# and small enough for libFuzzer to copy and mutate cheaply (-max_len in scripts/fuzz).
# Usage: fuzz/shrink-core.py CORE   (rewritten in place)
import struct
import sys

PT_LOAD, PT_NOTE, PF_W = 1, 4, 2

path = sys.argv[1]
data = open(path, "rb").read()
assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, "not an ELF64 LE file"
phoff, = struct.unpack_from("<Q", data, 0x20)
phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
phdrs = [list(struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)) for i in range(phnum)]
# Fields: type, flags, offset, vaddr, paddr, filesz, memsz, align.
order = sorted(range(phnum), key=lambda i: (phdrs[i][0] != PT_NOTE, phdrs[i][2]))
out = bytearray(data[:phoff + phnum * phentsize])
for i in order:
    ph = phdrs[i]
    body = data[ph[2]:ph[2] + ph[5]]
    if ph[0] == PT_LOAD and ph[1] & PF_W and ph[5] > 16 << 10:
        body = b""
        ph[5] = 0
    ph[2] = len(out)
    out += body
for i, ph in enumerate(phdrs):
    struct.pack_into("<IIQQQQQQ", out, phoff + i * phentsize, *ph)
open(path, "wb").write(out)
