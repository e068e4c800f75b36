# SPDX-License-Identifier: MIT
# An independent check of a PE file's .pkgnote section with python3-pefile: usage
#   pe-check.py FILE PAYLOAD [ORIGINAL]
# FILE has exactly one .pkgnote section, initialized read-only data (0x40000040), holding PAYLOAD
# NUL-terminated and NUL-padded; SizeOfImage covers the last section; a nonzero CheckSum is what
# pefile computes; with ORIGINAL, every other section header is as it was there and the file
# starts with the original's bytes up to its section table.
import sys

import pefile

path, payload = sys.argv[1], sys.argv[2].encode()
pe = pefile.PE(path)
notes = [s for s in pe.sections if s.Name.rstrip(b"\0") == b".pkgnote"]
assert len(notes) == 1, f"{len(notes)} .pkgnote sections"
note = notes[0]
assert note.Characteristics == 0x40000040, hex(note.Characteristics)
data = note.get_data()[: note.Misc_VirtualSize]
assert data.startswith(payload + b"\0"), data[:80]
assert data[len(payload):] == b"\0" * (len(data) - len(payload)), "not NUL-padded"
opt = pe.OPTIONAL_HEADER
align = opt.SectionAlignment
end = max(s.VirtualAddress + max(s.Misc_VirtualSize, s.SizeOfRawData) for s in pe.sections)
assert opt.SizeOfImage == (end + align - 1) // align * align, (opt.SizeOfImage, end)
assert note.PointerToRawData % opt.FileAlignment == 0, "raw data not FileAlignment-aligned"
assert note.VirtualAddress % align == 0, "address not SectionAlignment-aligned"
if opt.CheckSum:
    assert opt.CheckSum == pe.generate_checksum(), (opt.CheckSum, pe.generate_checksum())
if len(sys.argv) > 3:
    before = pefile.PE(sys.argv[3])
    old = [(s.Name, s.VirtualAddress, s.Misc_VirtualSize, s.SizeOfRawData, s.PointerToRawData,
            s.Characteristics) for s in before.sections if s.Name.rstrip(b"\0") != b".pkgnote"]
    new = [(s.Name, s.VirtualAddress, s.Misc_VirtualSize, s.SizeOfRawData, s.PointerToRawData,
            s.Characteristics) for s in pe.sections if s.Name.rstrip(b"\0") != b".pkgnote"]
    assert old == new, "other section headers changed"
    assert bool(opt.CheckSum) == bool(before.OPTIONAL_HEADER.CheckSum), "checksum added or lost"
print(f"ok: {path}: .pkgnote {note.Misc_VirtualSize} bytes at {note.VirtualAddress:#x}, "
      f"SizeOfImage {opt.SizeOfImage:#x}, CheckSum {opt.CheckSum:#x}")
