#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Edits a real core file (tests/e2e/core-*.sh) into the shapes that other kernels, page sizes or
# coredump_filter settings produce, without reading or writing anything else:
#   drop-load CORE ADDRESS   the PT_LOAD at ADDRESS keeps its header but loses its bytes
#                            (p_filesz 0), as for a page the kernel did not dump
#   hide-file-note CORE      NT_FILE's type is changed to an unknown one, as in a core of a
#                            kernel before 3.7 (no NT_FILE): readers fall back to other means
#   load-at CORE ADDRESS     prints the p_vaddr of the PT_LOAD holding ADDRESS (hex)
# Handles ELF64 and ELF32 cores of either byte order.
import struct
import sys


def layout(data):
    assert data[:4] == b"\x7fELF", "not ELF"
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
        fields = end + "IIQQQQQQ"  # type flags offset vaddr paddr filesz memsz align
    else:
        phoff, = struct.unpack_from(end + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2A)
        fields = end + "IIIIIIII"  # type offset vaddr paddr filesz memsz flags align
    headers = []
    for i in range(phnum):
        at = phoff + i * phentsize
        values = list(struct.unpack_from(fields, data, at))
        if is64:
            ptype, flags, offset, vaddr, paddr, filesz, memsz, align = values
        else:
            ptype, offset, vaddr, paddr, filesz, memsz, flags, align = values
        headers.append(dict(at=at, type=ptype, offset=offset, vaddr=vaddr, filesz=filesz,
                            memsz=memsz))
    return is64, end, headers


def drop_load(path, address):
    data = bytearray(open(path, "rb").read())
    is64, end, headers = layout(data)
    for h in headers:
        if h["type"] == 1 and h["vaddr"] == address:
            if is64:
                struct.pack_into(end + "Q", data, h["at"] + 32, 0)
            else:
                struct.pack_into(end + "I", data, h["at"] + 16, 0)
            open(path, "wb").write(data)
            return
    sys.exit("no PT_LOAD at %#x" % address)


def hide_file_note(path):
    data = bytearray(open(path, "rb").read())
    is64, end, headers = layout(data)
    for h in headers:
        if h["type"] != 4:
            continue
        at, stop = h["offset"], h["offset"] + h["filesz"]
        while at + 12 <= stop:
            namesz, descsz, ntype = struct.unpack_from(end + "III", data, at)
            name = bytes(data[at + 12:at + 12 + namesz])
            if name == b"CORE\0" and ntype == 0x46494C45:  # NT_FILE
                struct.pack_into(end + "I", data, at + 8, 0x7E57)
                open(path, "wb").write(data)
                return
            at += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
    sys.exit("no NT_FILE note")


def load_at(path, address):
    _, _, headers = layout(open(path, "rb").read())
    for h in headers:
        if h["type"] == 1 and h["vaddr"] <= address < h["vaddr"] + h["memsz"]:
            print("%#x" % h["vaddr"])
            return
    sys.exit("no PT_LOAD holds %#x" % address)


if __name__ == "__main__":
    command, core = sys.argv[1], sys.argv[2]
    if command == "drop-load":
        drop_load(core, int(sys.argv[3], 0))
    elif command == "hide-file-note":
        hide_file_note(core)
    elif command == "load-at":
        load_at(core, int(sys.argv[3], 0))
    else:
        sys.exit("unknown command " + command)
