# SPDX-License-Identifier: MIT
# What the stamp sweeps (scripts/stamp-sweep, scripts/stamp-sweep-cross) check of a stamped copy
# against its original, read from the bytes so that any ELF class and byte order is read alike:
# the program headers, where the build-id note lies, and every PT_LOAD but the one at offset 0
# kept (header and bytes, .dynamic's DT_ tags aside: the shift and move layouts rewrite them).
import struct


def headers(data):
    """The program headers of an executable or shared object as (type, offset, vaddr, filesz,
    memsz, flags, align) tuples; None for anything else."""
    if data[:4] != b"\x7fELF" or len(data) < 52:
        return None
    is64, little = data[4] == 2, data[5] == 1
    e = "<" if little else ">"
    etype = struct.unpack_from(e + "H", data, 16)[0]
    if etype not in (2, 3):
        return None
    if is64:
        phoff, = struct.unpack_from(e + "Q", data, 32)
        phentsize, phnum = struct.unpack_from(e + "HH", data, 54)
        fmt = e + "IIQQQQQQ"
    else:
        phoff, = struct.unpack_from(e + "I", data, 28)
        phentsize, phnum = struct.unpack_from(e + "HH", data, 42)
        fmt = e + "IIIIIIII"
    out = []
    for i in range(phnum):
        f = struct.unpack_from(fmt, data, phoff + i * phentsize)
        if is64:
            ptype, flags, off, vaddr, _, filesz, memsz, align = f
        else:
            ptype, off, vaddr, _, filesz, memsz, flags, align = f
        out.append((ptype, off, vaddr, filesz, memsz, flags, align))
    return out


def build_id(data, phdrs):
    """(offset of the GNU build-id note, its bytes) found through the PT_NOTEs, or (None, None)."""
    e = "<" if data[5] == 1 else ">"
    for ptype, off, _, filesz, _, _, _ in phdrs:
        if ptype != 4:
            continue
        at = data.find(b"GNU\0", off, off + filesz)
        while 0 <= at < off + filesz:
            namesz, descsz, ntype = struct.unpack_from(e + "III", data, at - 12)
            if namesz == 4 and ntype == 3:
                return at - 12, data[at + 4:at + 4 + descsz]
            at = data.find(b"GNU\0", at + 1, off + filesz)
    return None, None


def compare(before, after, page=4096):
    """What stamping changed that it must not: a list of problems, empty when none."""
    old, new = headers(before), headers(after)
    if new is None:
        return ["not an executable or shared object after stamping"]
    bad = []
    dynamic = [(p[1], p[1] + p[3]) for p in old if p[0] == 2]

    def masked(data, start, end):
        data = bytearray(data[start:end])
        for lo, hi in dynamic:
            for i in range(max(lo, start), min(hi, end)):
                data[i - start] = 0
        return bytes(data)

    for p in old:
        if p[0] != 1 or p[1] == 0:
            continue
        if p not in new:
            bad.append(f"PT_LOAD at {p[1]:#x} changed its header")
        if masked(after, p[1], p[1] + p[3]) != masked(before, p[1], p[1] + p[3]):
            bad.append(f"PT_LOAD at {p[1]:#x} changed its bytes")
    # The build-id keeps its bytes, and stays in the first page (the repacking layouts put it
    # right after the program headers) or, beyond it, at its offset.
    (bo, bid), (ba, aid) = build_id(before, old), build_id(after, new)
    if bo is not None:
        if aid != bid:
            bad.append("build-id changed or lost")
        elif ba != bo and (bo >= page - 36 or ba >= page - 36):
            bad.append(f"build-id moved from {bo:#x} to {ba:#x}")
    return bad


def added_loads(before, after):
    """How many PT_LOADs stamping added (1 for the segment layout)."""
    return len([p for p in headers(after) if p[0] == 1]) - len([p for p in headers(before) if p[0] == 1])
