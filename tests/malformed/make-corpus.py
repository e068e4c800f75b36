#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the malformed-input corpus (tests/malformed/cases/) and its manifest: every file is a
# valid stamped ELF file or core broken in one named way, from truncations at each header boundary
# to notes and JSON that lie. The expected outcome of `pkgnote read` on each (exit status and
# stderr) lives in expected.tsv, written by hand and checked by tests/e2e/malformed_corpus.sh;
# this script refuses to run when a case has no expectation, so that none is added unreviewed.
# Usage: tests/malformed/make-corpus.py   (python3 stdlib only; output is deterministic)
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compressed  # noqa: E402
import images  # noqa: E402
import pe  # noqa: E402
from elfbuild import (ET_CORE, ET_EXEC, NT_AUXV, NT_FILE, NT_PRSTATUS, PT_LOAD, PT_NOTE,  # noqa
                      Image, Layout, align, note, package_note)

HERE = os.path.dirname(os.path.abspath(__file__))
JSON = b'{"type":"deb","name":"hostile","version":"1.0","architecture":"amd64"}'
L64, L32BE = Layout(64, False), Layout(32, True)
cases = {}


def add(name, data):
    assert name not in cases, name
    cases[name] = bytes(data)


def image(lay=L64, json=JSON, **kw):
    return Image(lay, package_note(lay, json), **kw)


def valid_files():
    for bits, big, tag in ((64, False, "64le"), (64, True, "64be"), (32, False, "32le"),
                           (32, True, "32be")):
        lay = Layout(bits, big)
        add(f"valid-{tag}", image(lay, machine="s390x" if big else "x86_64").data)
    add("valid-no-sections", image(sections=False).data)
    two = package_note(L64, JSON) + package_note(L64, b'{"type":"rpm","name":"second"}')
    add("valid-two-package-notes", Image(L64, two).data)
    padded = package_note(L64, JSON, descsz=align(len(JSON) + 1, 4))
    add("valid-gnu-ld-padded-descsz", Image(L64, padded).data)
    add("no-note", Image(L64, note(L64, b"GNU", 3, bytes(20))).data)


def truncations():
    img = image()
    lay = img.lay
    for name, size in (("empty", 0), ("magic-only", 4), ("ident-only", 16),
                       ("ehdr-minus-1", lay.ehsize - 1), ("ehdr-only", lay.ehsize),
                       ("mid-phdr", lay.ehsize + lay.phentsize // 2),
                       ("phdrs-only", img.note_off), ("mid-note-header", img.note_off + 6),
                       ("mid-note-name", img.note_off + 14),
                       ("mid-note-desc", img.note_off + 16 + len(JSON) // 2),
                       ("before-shdrs", img.shoff), ("mid-shdr", img.shoff + lay.shentsize + 10)):
        add(f"truncated-{name}", img.data[:size])
    img32 = image(L32BE)
    add("truncated-32be-ehdr-minus-1", img32.data[:L32BE.ehsize - 1])
    add("truncated-32be-mid-phdr", img32.data[:L32BE.ehsize + 10])


def header_lies():
    def patched(field_fn, fmt, value, sections=True):
        img = image(sections=sections)
        img.put(field_fn(img), fmt, value)
        return img.data

    add("not-elf-text", b"#!/bin/sh\necho hello\n")
    bad = image().data
    bad[4] = 3
    add("bad-ei-class", bad)
    bad = image().data
    bad[5] = 0
    add("bad-ei-data", bad)
    add("phnum-max", patched(lambda i: i.ehdr_field("phnum"), "H", 0xFFFF))
    add("phnum-max-no-sections", patched(lambda i: i.ehdr_field("phnum"), "H", 0xFFFF, False))
    add("shnum-max", patched(lambda i: i.ehdr_field("shnum"), "H", 0xFFFF))
    add("shstrndx-out-of-range", patched(lambda i: i.ehdr_field("shstrndx"), "H", 0xFFFE))
    add("phentsize-wrong", patched(lambda i: i.ehdr_field("phentsize"), "H", 10, False))
    add("shentsize-wrong", patched(lambda i: i.ehdr_field("shentsize"), "H", 10))
    add("phoff-past-eof", patched(lambda i: i.ehdr_field("phoff"), "Q", 0x100000, False))
    add("phoff-overflows", patched(lambda i: i.ehdr_field("phoff"), "Q", 2**64 - 8, False))
    add("shoff-past-eof", patched(lambda i: i.ehdr_field("shoff"), "Q", 0x100000))
    add("shoff-overflows", patched(lambda i: i.ehdr_field("shoff"), "Q", 2**64 - 8))
    add("pt-note-offset-past-eof",
        patched(lambda i: i.phdr_field(1, "offset"), "Q", 0x100000, False))
    add("pt-note-offset-overflows",
        patched(lambda i: i.phdr_field(1, "offset"), "Q", 2**64 - 4, False))
    add("pt-note-size-past-eof",
        patched(lambda i: i.phdr_field(1, "filesz"), "Q", 0x100000, False))
    add("pt-note-size-overflows",
        patched(lambda i: i.phdr_field(1, "filesz"), "Q", 2**64 - 1, False))
    add("section-offset-past-eof", patched(lambda i: i.shdr_field(1, "offset"), "Q", 0x100000))
    add("section-size-overflows", patched(lambda i: i.shdr_field(1, "size"), "Q", 2**64 - 1))
    img = image(sections=False)
    img.put(img.phdr_field(1, "offset"), "Q", img.note_off + 2)
    img.put(img.phdr_field(1, "filesz"), "Q", len(img.notes) - 4)
    add("pt-note-unaligned-offset", img.data)
    add("pt-note-align-3", patched(lambda i: i.phdr_field(1, "align"), "Q", 3, False))
    # elfutils' testfile2: a 32-bit big-endian PowerPC executable whose PT_NOTE and note section
    # claim alignment 16 and hold no package note (read at 4, as elfutils reads them: exit 1).
    abi_tag = note(L32BE, b"GNU", 1, struct.pack(">IIII", 0, 2, 2, 5))
    img = Image(L32BE, abi_tag, etype=ET_EXEC, machine="ppc")
    img.put(img.phdr_field(1, "align"), "I", 16)
    img.put(img.shdr_field(1, "addralign"), "I", 16)
    add("pt-note-align-16-testfile2", img.data)
    img = Image(L32BE, abi_tag + note(L32BE, b"GNUX", 5, b"abcd") + package_note(L32BE, JSON),
                etype=ET_EXEC, machine="ppc", sections=False)
    img.put(img.phdr_field(1, "align"), "I", 16)
    add("pt-note-align-16-package", img.data)


def relocatable_lies():
    """ET_REL has no program headers: the reader must walk the section headers instead."""
    def rel(field_fn=None, fmt=None, value=None):
        img = image(etype=1)
        img.put(img.ehdr_field("phnum"), "H", 0)
        img.put(img.ehdr_field("phoff"), "Q", 0)
        if field_fn:
            img.put(field_fn(img), fmt, value)
        return img

    add("rel-valid", rel().data)
    add("rel-shnum-max", rel(lambda i: i.ehdr_field("shnum"), "H", 0xFFFF).data)
    add("rel-shnum-zero-extended-zero", rel(lambda i: i.ehdr_field("shnum"), "H", 0).data)
    add("rel-shentsize-wrong", rel(lambda i: i.ehdr_field("shentsize"), "H", 10).data)
    add("rel-shoff-past-eof", rel(lambda i: i.ehdr_field("shoff"), "Q", 0x100000).data)
    add("rel-shoff-overflows", rel(lambda i: i.ehdr_field("shoff"), "Q", 2**64 - 8).data)
    add("rel-shstrndx-out-of-range", rel(lambda i: i.ehdr_field("shstrndx"), "H", 0xFFFE).data)
    add("rel-section-offset-past-eof",
        rel(lambda i: i.shdr_field(1, "offset"), "Q", 0x100000).data)
    add("rel-section-size-overflows",
        rel(lambda i: i.shdr_field(1, "size"), "Q", 2**64 - 1).data)
    add("rel-section-addralign-3", rel(lambda i: i.shdr_field(1, "addralign"), "Q", 3).data)
    img = rel()
    add("rel-truncated-mid-shdr", img.data[:img.shoff + img.lay.shentsize + 10])


def note_lies():
    def pn(**kw):
        return Image(L64, package_note(L64, JSON, **kw), sections=False).data

    add("note-namesz-huge", pn(namesz=0xFFFFFFFF))
    add("note-descsz-huge", pn(descsz=0xFFFFFFF0))
    add("note-descsz-zero", pn(descsz=0))
    add("note-namesz-zero", pn(namesz=0))
    add("note-descsz-past-segment", pn(descsz=len(JSON) + 64))
    add("note-name-without-nul",
        Image(L64, note(L64, b"FDOX", 0xCAFE1A7E, JSON + b"\0"), sections=False).data)
    add("note-desc-without-nul",
        Image(L64, note(L64, b"FDO", 0xCAFE1A7E, JSON + b"}}}"), sections=False).data)
    add("note-desc-nul-inside",
        Image(L64, note(L64, b"FDO", 0xCAFE1A7E, JSON[:10] + b"\0" + JSON[10:] + b"\0"),
              sections=False).data)
    # 65 different notes (identical copies count as one: they would never reach the limit).
    many = b"".join(package_note(L64, b'{"n":"x%02d"}' % i) for i in range(65))
    add("notes-65-package-notes", Image(L64, many, sections=False).data)
    add("notes-64-package-notes", Image(L64, many[:64 * len(many) // 65], sections=False).data)
    # 1100 PT_NOTE headers over the same 64 KiB of zeros (valid empty notes), each a little
    # shorter so that none is a duplicate: 70 MiB to read from a 126 KiB file.
    zeros, count = 64 * 1024, 1100
    phdrs = [L64.phdr(PT_NOTE, 0, 0, zeros - 4 * i) for i in range(count)]
    img = Image(L64, bytes(zeros), sections=False, extra_phdrs=phdrs)
    for i in range(count):
        img.put(img.phdr_field(2 + i, "offset"), "Q", img.note_off)
    add("notes-read-budget-exceeded", img.data)
    # One bad PT_NOTE must not hide a good one: the package is reported with a warning. With no
    # package note anywhere, the bad segment is an error (the note may have been in it).
    add("pt-note-second-past-eof",
        Image(L64, package_note(L64, JSON), sections=False,
              extra_phdrs=[L64.phdr(PT_NOTE, 0x100000, 0x100000, 64)]).data)
    img = Image(L64, package_note(L64, JSON), sections=False,
                extra_phdrs=[L64.phdr(PT_NOTE, 0, 0, 0)])
    img.put(img.phdr_field(2, "offset"), "Q", img.note_off)
    img.put(img.phdr_field(2, "filesz"), "Q", len(img.notes))
    img.put(img.phdr_field(1, "offset"), "Q", 0x100000)
    add("pt-note-first-past-eof-second-good", img.data)
    add("pt-note-second-past-eof-no-package",
        Image(L64, note(L64, b"GNU", 3, bytes(20)), sections=False,
              extra_phdrs=[L64.phdr(PT_NOTE, 0x100000, 0x100000, 64)]).data)
    # 200 PT_NOTE headers past the end of the file: a handful of warnings, not 200.
    bad = [L64.phdr(PT_NOTE, 0x100000 + 8 * i, 0, 64) for i in range(200)]
    add("pt-note-200-bad-segments",
        Image(L64, package_note(L64, JSON), sections=False, extra_phdrs=bad).data)


def json_lies():
    def pj(name, payload):
        add(f"json-{name}", image(json=payload).data)

    pj("array", b'["deb","hostile"]')
    pj("string", b'"deb"')
    pj("empty", b"")
    pj("invalid-utf8", b'{"name":"\xff\xfe"}')
    pj("overlong-utf8", b'{"name":"\xc0\xaf"}')
    pj("lone-surrogate-escape", b'{"name":"\\ud800"}')
    pj("deep-10000-arrays", b"[" * 10000 + b"]" * 10000)
    pj("deep-10000-objects", b'{"a":' * 10000 + b"1" + b"}" * 10000)
    pj("duplicate-keys", b'{"name":"a","name":"b"}')
    pj("number-value", b'{"name":1}')
    pj("null-value", b'{"name":null}')
    pj("object-value", b'{"name":{"x":"y"}}')
    pj("bool-value", b'{"name":true}')
    pj("trailing-garbage", JSON + b"garbage")
    pj("two-objects", JSON + JSON)
    pj("over-64k", b'{"name":"' + b"x" * (64 * 1024) + b'"}')


def core(notes_blob, module, lay=L64, extra_load=()):
    """ET_CORE: PT_NOTE with NOTES_BLOB, one PT_LOAD at 0x400000 holding MODULE's first page."""
    page = 0x1000
    phnum = 2 + len(extra_load)
    note_off = align(lay.ehsize + phnum * lay.phentsize, 4)
    load_off = align(note_off + len(notes_blob), page)
    seg = bytes(module[:page]) + bytes(max(0, page - len(module)))
    data = lay.ehdr(ET_CORE, 62, lay.ehsize, phnum, 0, 0, 0)
    data += lay.phdr(PT_NOTE, note_off, 0, len(notes_blob), memsz=0, palign=4)
    data += lay.phdr(PT_LOAD, load_off, 0x400000, page, flags=5, palign=page)
    for p in extra_load:
        data += p
    data += bytes(note_off - len(data)) + notes_blob
    data += bytes(load_off - len(data)) + seg
    return bytearray(data)


def nt_file(entries, names, count=None, page_size=0x1000):
    desc = struct.pack("<QQ", len(entries) if count is None else count, page_size)
    for start, end, pgoff in entries:
        desc += struct.pack("<QQQ", start, end, pgoff)
    return note(L64, b"CORE", NT_FILE, desc + b"".join(n + b"\0" for n in names))


def auxv(pairs):
    return note(L64, b"CORE", NT_AUXV, b"".join(struct.pack("<QQ", k, v) for k, v in pairs))


def core_lies():
    module = Image(L64, package_note(L64, JSON), etype=ET_EXEC, sections=False)
    # In memory the module's vaddrs are its file offsets plus 0x400000.
    module.put_word(module.phdr_field(0, "vaddr"), 0x400000)
    module.put_word(module.phdr_field(1, "vaddr"), 0x400000 + module.note_off)
    mod = module.data
    prstatus = note(L64, b"CORE", NT_PRSTATUS, bytes(336))
    good_file = nt_file([(0x400000, 0x401000, 0)], [b"/usr/bin/hostile"])
    good_auxv = auxv([(3, 0x400000 + 64), (4, 56), (5, 2), (0, 0)])

    add("core-valid", core(prstatus + good_file + good_auxv, mod))
    add("core-no-nt-file", core(prstatus + good_auxv, mod))
    add("core-nt-file-count-huge",
        core(prstatus + nt_file([(0x400000, 0x401000, 0)], [b"/usr/bin/hostile"],
                                count=2**64 - 1) + good_auxv, mod))
    add("core-nt-file-count-past-desc",
        core(prstatus + nt_file([(0x400000, 0x401000, 0)], [b"/usr/bin/hostile"],
                                count=1000) + good_auxv, mod))
    add("core-nt-file-names-missing-nul",
        core(prstatus + note(L64, b"CORE", NT_FILE,
                             struct.pack("<QQQQQ", 1, 0x1000, 0x400000, 0x401000, 0) +
                             b"/usr/bin/hostile") + good_auxv, mod))
    add("core-nt-file-start-after-end",
        core(prstatus + nt_file([(0x401000, 0x400000, 0)], [b"/usr/bin/hostile"]) + good_auxv,
             mod))
    add("core-nt-file-start-unmapped",
        core(prstatus + nt_file([(0x7000000, 0x7001000, 0)], [b"/usr/bin/hostile"]) +
             good_auxv, mod))
    add("core-nt-file-page-size-zero",
        core(prstatus + nt_file([(0x400000, 0x401000, 0)], [b"/usr/bin/hostile"],
                                page_size=0) + good_auxv, mod))
    add("core-auxv-odd-size",
        core(prstatus + good_file + note(L64, b"CORE", NT_AUXV, bytes(13)), mod))
    add("core-auxv-phdr-unmapped",
        core(prstatus + good_file + auxv([(3, 0x9000000), (4, 56), (5, 2), (0, 0)]), mod))
    add("core-auxv-phnum-huge",
        core(prstatus + good_file + auxv([(3, 0x400040), (4, 56), (5, 0xFFFF), (0, 0)]), mod))
    # fuzz_elf_reader (CI, session 2): a guest core (no NT_FILE) with AT_PHNUM 0 copied an empty
    # program header table through a null pointer.
    add("core-no-nt-file-auxv-phnum-zero",
        core(prstatus + auxv([(3, 0x400040), (4, 56), (5, 0), (0, 0)]), mod))
    lying = bytearray(mod)
    lying[module.ehdr_field("phoff"):module.ehdr_field("phoff") + 8] = struct.pack("<Q", 0x800000)
    add("core-module-phoff-beyond-segment", core(prstatus + good_file + good_auxv, lying))
    lying = bytearray(mod)
    at = module.phdr_field(1, "vaddr")
    lying[at:at + 8] = struct.pack("<Q", 0x2000000)
    add("core-module-note-vaddr-unmapped", core(prstatus + good_file + good_auxv, lying))
    lying = bytearray(mod)
    at = module.phdr_field(1, "filesz")
    lying[at:at + 8] = struct.pack("<Q", 2**64 - 1)
    add("core-module-note-size-overflows", core(prstatus + good_file + good_auxv, lying))
    many = nt_file([(0x400000, 0x401000, 0)] * 5000, [b"/m"] * 5000)
    add("core-nt-file-many-modules", core(prstatus + many + good_auxv, mod))


def read_expected():
    expected = {}
    with open(os.path.join(HERE, "expected.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, status, _ = line.rstrip("\n").split("\t", 2)
            expected[name] = int(status)
    return expected


def main():
    valid_files()
    truncations()
    header_lies()
    relocatable_lies()
    note_lies()
    json_lies()
    core_lies()
    for name, data in compressed.cases(cases["valid-64le"], cases["core-valid"]).items():
        add(name, data)
    for name, data in images.cases(cases["valid-64le"]).items():
        add(name, data)
    for name, data in pe.cases().items():
        add(name, data)
    outdir = os.path.join(HERE, "cases")
    os.makedirs(outdir, exist_ok=True)
    for old in os.listdir(outdir):
        if old not in cases:
            os.unlink(os.path.join(outdir, old))
    for name, data in sorted(cases.items()):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    missing = sorted(set(cases) - set(read_expected()))
    if missing:
        sys.exit("make-corpus.py: no expectation in expected.tsv for: " + " ".join(missing))
    print(f"wrote {len(cases)} cases to {outdir}")


if __name__ == "__main__":
    main()
