# SPDX-License-Identifier: MIT
# PE/COFF cases of the malformed corpus (make-corpus.py): a minimal PE32+ image written here field
# by field (DOS header, "PE\0\0", COFF header, optional header with 16 data directories, section
# table, a .text and a .pkgnote section), then broken one named way each.
import struct

JSON = b'{"type":"deb","name":"hostile-pe","version":"1.0"}'
FILE_ALIGN, SECTION_ALIGN = 0x200, 0x1000
PE_AT = 0x40
OPT_AT = PE_AT + 4 + 20
OPT_SIZE = 112 + 16 * 8
TABLE_AT = OPT_AT + OPT_SIZE


def section(name, vsize, vaddr, rawsize, rawptr, flags):
    return struct.pack("<8sIIIIIIHHI", name, vsize, vaddr, rawsize, rawptr, 0, 0, 0, 0, flags)


def image(payload=JSON + b"\0", note=True, directories=None, opt_magic=0x20B, nsections=None,
          opt_size=OPT_SIZE, rva_count=16, note_rawptr=None, note_rawsize=FILE_ALIGN,
          checksum=0):
    """The bytes of a PE32+ DLL; PAYLOAD is the whole .pkgnote contents (padded to the raw size)."""
    sections = [(b".text", 0x10, 0x1000, FILE_ALIGN, 0x400, 0x60000020)]
    if note:
        sections.append((b".pkgnote", len(payload), 0x2000, note_rawsize,
                         0x600 if note_rawptr is None else note_rawptr, 0x40000040))
    count = len(sections) if nsections is None else nsections
    out = bytearray(0x400)
    out[0:2] = b"MZ"
    struct.pack_into("<I", out, 0x3C, PE_AT)
    out[PE_AT:PE_AT + 4] = b"PE\0\0"
    struct.pack_into("<HHIIIHH", out, PE_AT + 4, 0x8664, count, 0, 0, 0, opt_size, 0x2022)
    size_of_image = 0x1000 + SECTION_ALIGN * len(sections)
    opt = struct.pack("<HBBIIIIIQIIHHHHHHIIIIHHQQQQII", opt_magic, 2, 40, FILE_ALIGN, FILE_ALIGN, 0,
                      0x1000, 0x1000, 0x180000000, SECTION_ALIGN, FILE_ALIGN, 4, 0, 0, 0, 5, 2, 0,
                      size_of_image, 0x400, checksum, 3, 0x160, 0x100000, 0x1000, 0x100000, 0x1000,
                      0, rva_count)
    dirs = bytearray(16 * 8)
    for index, (rva, size) in (directories or {}).items():
        struct.pack_into("<II", dirs, index * 8, rva, size)
    out[OPT_AT:OPT_AT + len(opt)] = opt
    out[OPT_AT + len(opt):OPT_AT + len(opt) + len(dirs)] = dirs
    for i, s in enumerate(sections):
        out[TABLE_AT + 40 * i:TABLE_AT + 40 * (i + 1)] = section(*s)
    out += b"\xc3" + b"\0" * (FILE_ALIGN - 1)  # .text: ret
    if note:
        out += payload + b"\0" * (FILE_ALIGN - len(payload))
    return bytes(out)


def cases():
    valid = image()
    return {
        "pe-valid": valid,
        "pe-unstamped": image(note=False),
        "pe-dos-program": b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x40) + b"not a PE header" + b"\0" * 64,
        "pe-truncated-optional-header": valid[:OPT_AT + 40],
        "pe-optional-header-magic": image(opt_magic=0x107),
        "pe-optional-header-too-small": image(opt_size=60),
        "pe-data-directories-overflow": image(rva_count=1000),
        "pe-section-table-past-eof": image(nsections=4000),
        "pe-note-past-eof": image(note_rawptr=0x10000),
        "pe-note-not-terminated": image(payload=JSON),
        "pe-note-bytes-after-nul": image(payload=JSON + b"\0x\0"),
        "pe-note-bad-json": image(payload=b'{"name":1}\0'),
        "pe-note-over-headers": image(note_rawptr=0),
        "pe-debug-directory-nowhere": image(directories={6: (0x9000, 28)}),
        "pe-certificate-table": image(directories={4: (0x800, 0x10)}),
        "pe-checksum": image(checksum=0x1234),
    }
