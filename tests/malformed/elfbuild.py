# SPDX-License-Identifier: MIT
# A tiny ELF writer for the malformed-input corpus (python3 stdlib only). It lays out a valid
# file first (header, program headers, notes, section headers) and lets each case break one field,
# so that every case differs from a file pkgnote accepts in exactly the way its name says.
import struct

PT_LOAD, PT_NOTE = 1, 4
SHT_NOTE, SHT_STRTAB = 7, 3
SHF_ALLOC = 2
ET_EXEC, ET_DYN, ET_CORE = 2, 3, 4
EM = {"x86_64": 62, "aarch64": 183, "s390x": 22, "ppc": 20, "i386": 3}
NT_PACKAGE = 0xCAFE1A7E
NT_FILE, NT_AUXV, NT_PRSTATUS = 0x46494C45, 6, 1


def align(n, a):
    return (n + a - 1) // a * a


class Layout:
    """Class (32/64) and byte order, with struct formats for the headers."""

    def __init__(self, bits=64, big=False):
        self.bits, self.big = bits, big
        self.e = ">" if big else "<"
        self.ehsize, self.phentsize, self.shentsize = (64, 56, 64) if bits == 64 else (52, 32, 40)
        self.word = "Q" if bits == 64 else "I"

    def pack(self, fmt, *values):
        return struct.pack(self.e + fmt, *values)

    def ehdr(self, etype, machine, phoff, phnum, shoff, shnum, shstrndx, **over):
        f = dict(etype=etype, machine=machine, phoff=phoff, phnum=phnum, shoff=shoff,
                 shnum=shnum, shstrndx=shstrndx, phentsize=self.phentsize,
                 shentsize=self.shentsize, ehsize=self.ehsize, cls=1 if self.bits == 32 else 2,
                 data=2 if self.big else 1, version=1, entry=0)
        f.update(over)
        ident = b"\x7fELF" + bytes([f["cls"], f["data"], 1, 0]) + bytes(8)
        w = self.word
        return ident + self.pack("HHI" + w + w + w + "IHHHHHH", f["etype"], f["machine"],
                                 f["version"], f["entry"], f["phoff"], f["shoff"], 0,
                                 f["ehsize"], f["phentsize"], f["phnum"], f["shentsize"],
                                 f["shnum"], f["shstrndx"])

    def phdr(self, ptype, offset, vaddr, filesz, memsz=None, flags=4, palign=4):
        memsz = filesz if memsz is None else memsz
        if self.bits == 64:
            return self.pack("IIQQQQQQ", ptype, flags, offset, vaddr, vaddr, filesz, memsz, palign)
        return self.pack("IIIIIIII", ptype, offset, vaddr, vaddr, filesz, memsz, flags, palign)

    def shdr(self, name, stype, flags, offset, size, addralign, addr=0, link=0, info=0):
        w = self.word
        return self.pack("II" + w + w + w + w + "II" + w + w, name, stype, flags, addr, offset,
                         size, link, info, addralign, 0)


def note(lay, owner, ntype, desc, namesz=None, descsz=None):
    """One note; NAMESZ/DESCSZ override the header words (to lie), the bytes stay as given."""
    name = owner + b"\0" if isinstance(owner, bytes) and not owner.endswith(b"\0") else owner
    hdr = lay.pack("III", len(name) if namesz is None else namesz,
                   len(desc) if descsz is None else descsz, ntype)
    return hdr + name + bytes(align(len(name), 4) - len(name)) + desc + \
        bytes(align(len(desc), 4) - len(desc))


def package_note(lay, json, **kw):
    return note(lay, b"FDO", NT_PACKAGE, json + b"\0", **kw)


class Image:
    """An ELF file: header, PT_LOAD + PT_NOTE, the notes blob, and (unless sections=False)
    .note.package and .shstrtab section headers. Offsets are recorded for the cases to patch."""

    def __init__(self, lay, notes, etype=ET_DYN, machine="x86_64", sections=True, extra_phdrs=()):
        self.lay = lay
        phnum = 2 + len(extra_phdrs)
        self.phoff = lay.ehsize
        self.note_off = align(self.phoff + phnum * lay.phentsize, 8)
        self.notes = notes
        shstrtab = b"\0.note.package\0.shstrtab\0"
        self.shstr_off = self.note_off + len(notes)
        self.shoff = align(self.shstr_off + len(shstrtab), 8) if sections else 0
        shnum = 3 if sections else 0
        end = self.shoff + shnum * lay.shentsize if sections else self.shstr_off
        phdrs = lay.phdr(PT_LOAD, 0, 0, end, flags=5, palign=0x1000)
        phdrs += lay.phdr(PT_NOTE, self.note_off, self.note_off, len(notes))
        for p in extra_phdrs:
            phdrs += p
        body = lay.ehdr(etype, EM[machine], self.phoff, phnum, self.shoff, shnum,
                        2 if sections else 0)
        body += phdrs
        body += bytes(self.note_off - len(body)) + notes
        if sections:
            body += shstrtab + bytes(self.shoff - self.shstr_off - len(shstrtab))
            body += bytes(lay.shentsize)
            body += lay.shdr(1, SHT_NOTE, SHF_ALLOC, self.note_off, len(notes), 4,
                             addr=self.note_off)
            body += lay.shdr(15, SHT_STRTAB, 0, self.shstr_off, len(shstrtab), 1)
        self.data = bytearray(body)

    # Offsets of header fields, for patching.
    def ehdr_field(self, name):
        l64 = self.lay.bits == 64
        return {"phoff": 32 if l64 else 28, "shoff": 40 if l64 else 32,
                "phentsize": 54 if l64 else 42, "phnum": 56 if l64 else 44,
                "shentsize": 58 if l64 else 46, "shnum": 60 if l64 else 48,
                "shstrndx": 62 if l64 else 50}[name]

    def phdr_field(self, index, name):
        base = self.phoff + index * self.lay.phentsize
        if self.lay.bits == 64:
            return base + {"offset": 8, "vaddr": 16, "filesz": 32, "memsz": 40, "align": 48}[name]
        return base + {"offset": 4, "vaddr": 8, "filesz": 16, "memsz": 20, "align": 28}[name]

    def shdr_field(self, index, name):
        base = self.shoff + index * self.lay.shentsize
        if self.lay.bits == 64:
            return base + {"offset": 24, "size": 32, "addralign": 48}[name]
        return base + {"offset": 16, "size": 20, "addralign": 32}[name]

    def put(self, at, fmt, value):
        self.data[at:at + struct.calcsize(fmt)] = self.lay.pack(fmt, value)

    def put_word(self, at, value):
        self.put(at, self.lay.word, value)
