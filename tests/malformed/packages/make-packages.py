#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the hostile packages of `pkgnote verify`'s malformed corpus into DIR: .deb files broken in
# one named way each (truncated, corrupt payload, sizes that lie, a member claiming 100 GiB, member
# names with control bytes, hard links that point nowhere or at themselves, a million tiny
# members). ELF is the real program given as the second argument (any unstamped executable).
# The expected outcome of each is in expected.tsv beside this script. Python stdlib only; the
# output is deterministic. Usage: make-packages.py DIR ELF
import gzip
import io
import lzma
import os
import sys
import tarfile

sys.dont_write_bytecode = True

CONTROL = (b"Package: hostile\nSource: hostile-src (1.0-1)\nVersion: 1.0-1+b1\n"
           b"Architecture: amd64\nMaintainer: t <t@t.invalid>\nDescription: hostile\n x\n")


def tar_bytes(members, compress=None):
    """members: list of (TarInfo, bytes or None)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    data = raw.getvalue()
    if compress == "gz":
        return gzip.compress(data, compresslevel=1, mtime=0)
    if compress == "xz":
        return lzma.compress(data, preset=0)
    return data


def info(name, size=0, kind=tarfile.REGTYPE, link=""):
    t = tarfile.TarInfo(name)
    t.size, t.type, t.linkname, t.mode, t.mtime = size, kind, link, 0o755, 0
    return t


def ar_member(name, data, size=None):
    size = len(data) if size is None else size
    header = f"{name:<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{size:<10}`\n".encode()
    return header + data + (b"\n" if len(data) % 2 else b"")


def deb(data_tar, data_name="data.tar.xz", control=CONTROL, data_size=None):
    control_tar = tar_bytes([(info("./control", len(control)), control)], "gz")
    return (b"!<arch>\n" + ar_member("debian-binary", b"2.0\n") +
            ar_member("control.tar.gz", control_tar) +
            ar_member(data_name, data_tar, data_size))


def tiny_members_tar(count):
    """COUNT empty files as raw tar headers, built directly: tarfile takes minutes for a million."""
    template = bytearray(512)
    template[100:108] = b"0000644\0"
    template[108:116] = template[116:124] = b"0000000\0"
    template[124:136] = template[136:148] = b"00000000000\0"
    template[156:157] = b"0"
    template[257:265] = b"ustar\x0000"
    template[148:156] = b"        "
    base = sum(template)
    blocks = []
    for i in range(count):
        name = b"./f/%07d" % i
        header = bytearray(template)
        header[0:len(name)] = name
        header[148:156] = b"%06o\0 " % (base + sum(name))
        blocks.append(bytes(header))
    blocks.append(bytes(1024))
    return gzip.compress(b"".join(blocks), compresslevel=1, mtime=0)


def main():
    out, elf_path = sys.argv[1], sys.argv[2]
    with open(elf_path, "rb") as f:
        elf = f.read()
    os.makedirs(out, exist_ok=True)
    good = tar_bytes([(info("./usr/bin/prog", len(elf)), elf)], "xz")
    cases = {
        "valid-unstamped.deb": deb(good),
        "truncated.deb": deb(good)[: len(deb(good)) // 2],
        "corrupt-payload.deb": None,
        "size-lies.deb": deb(good, data_size=len(good) * 4),
        "member-100gib.deb": deb(tar_bytes([(info("./usr/bin/huge", 100 << 30), None)], None)[:512]
                                 + elf[:4096], "data.tar"),
        "control-bytes-name.deb": deb(tar_bytes([(info("./usr/bin/a\x1b[2Jb", len(elf)), elf)],
                                                "xz")),
        "hard-links.deb": deb(tar_bytes([
            (info("./usr/bin/prog", len(elf)), elf),
            (info("./usr/bin/prog2", 0, tarfile.LNKTYPE, "./usr/bin/prog"), None),
            (info("./usr/bin/self", 0, tarfile.LNKTYPE, "./usr/bin/self"), None),
            (info("./usr/bin/nowhere", 0, tarfile.LNKTYPE, "./usr/bin/missing"), None)], "xz")),
        "million-members.deb": deb(tiny_members_tar(1000000), "data.tar.gz"),
        "no-control.deb": b"!<arch>\n" + ar_member("debian-binary", b"2.0\n") +
                          ar_member("data.tar.xz", good),
        "not-a-package.bin": b"\x7fELF but not really a package" * 10,
    }
    corrupt = bytearray(deb(good))
    middle = len(corrupt) - len(good) // 2
    corrupt[middle:middle + 64] = bytes(64)
    cases["corrupt-payload.deb"] = bytes(corrupt)
    for name, data in cases.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


main()
