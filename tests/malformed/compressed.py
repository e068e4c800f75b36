# SPDX-License-Identifier: MIT
# Compressed containers for the malformed corpus (make-corpus.py), written byte by byte so that
# the corpus stays deterministic and needs only python3's standard library: zstd frames of raw and
# RLE blocks and lz4 frames of uncompressed blocks (no compressor needed for either), gzip, xz and
# bzip2 through the stdlib (gzip with fixed headers). Each hostile case breaks one thing a decompressor checks.
import bz2
import gzip
import lzma
import struct


def _xxh32(data, seed=0):
    p1, p2, p3, p4, p5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
    m = 0xFFFFFFFF

    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & m

    def rnd(acc, lane):
        return (rotl((acc + lane * p2) & m, 13) * p1) & m

    n, i = len(data), 0
    if n >= 16:
        v = [(seed + p1 + p2) & m, (seed + p2) & m, seed, (seed - p1) & m]
        while i + 16 <= n:
            for k in range(4):
                v[k] = rnd(v[k], struct.unpack_from("<I", data, i + 4 * k)[0])
            i += 16
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & m
    else:
        h = (seed + p5) & m
    h = (h + n) & m
    while i + 4 <= n:
        h = (rotl((h + struct.unpack_from("<I", data, i)[0] * p3) & m, 17) * p4) & m
        i += 4
    while i < n:
        h = (rotl((h + data[i] * p5) & m, 11) * p1) & m
        i += 1
    h ^= h >> 15
    h = (h * p2) & m
    h ^= h >> 13
    h = (h * p3) & m
    return h ^ (h >> 16)


ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def zstd_block(kind, payload, size, last):
    header = (1 if last else 0) | (kind << 1) | (size << 3)
    return struct.pack("<I", header)[:3] + payload


def zstd(data, window_log=20, content_size=None, rle_zeros=0):
    """A single-segment-free zstd frame: RLE_ZEROS bytes of zeros as RLE blocks, then DATA in raw
    blocks. WINDOW_LOG sets the Window_Descriptor; CONTENT_SIZE, when given, an 8-byte
    Frame_Content_Size (it may lie)."""
    fhd = 0xC0 if content_size is not None else 0x00  # FCS field of 8 bytes, or none
    out = bytearray(ZSTD_MAGIC + bytes([fhd, (window_log - 10) << 3]))
    if content_size is not None:
        out += struct.pack("<Q", content_size)
    blocks = []
    while rle_zeros > 0:
        n = min(rle_zeros, 128 << 10)
        blocks.append((1, b"\0", n))
        rle_zeros -= n
    for i in range(0, len(data), 128 << 10):
        chunk = data[i:i + (128 << 10)]
        blocks.append((0, chunk, len(chunk)))
    if not blocks:
        blocks.append((0, b"", 0))
    for i, (kind, payload, size) in enumerate(blocks):
        out += zstd_block(kind, payload, size, i == len(blocks) - 1)
    return bytes(out)


def lz4(data, block_size_claim=None):
    """An lz4 frame of uncompressed blocks (64 KiB maximum, no checksums); BLOCK_SIZE_CLAIM, when
    given, replaces the first block's size field."""
    flg, bd = 0x60, 0x40  # version 01, independent blocks; block maximum 64 KiB
    out = bytearray(b"\x04\x22\x4d\x18" + bytes([flg, bd, (_xxh32(bytes([flg, bd])) >> 8) & 0xFF]))
    for i in range(0, len(data), 64 << 10):
        chunk = data[i:i + (64 << 10)]
        size = len(chunk) | 0x80000000
        if i == 0 and block_size_claim is not None:
            size = block_size_claim
        out += struct.pack("<I", size) + chunk
    out += struct.pack("<I", 0)
    return bytes(out)


def gz(data):
    return gzip.compress(data, mtime=0)


def bz(data):
    return bz2.compress(data, 9)


def xz(data):
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64)


def cases(valid_elf, valid_core):
    """Name -> bytes of every compressed case."""
    c = {}
    c["compressed-zstd-valid"] = zstd(valid_elf)
    c["compressed-xz-valid"] = xz(valid_elf)
    c["compressed-lz4-valid"] = lz4(valid_elf)
    c["compressed-gzip-valid"] = gz(valid_elf)
    c["compressed-bzip2-valid"] = bz(valid_elf)
    c["compressed-bzip2-core-valid"] = bz(valid_core)
    c["compressed-bzip2-truncated"] = bz(valid_elf)[:60]
    corrupt = bytearray(bz(valid_elf))
    corrupt[len(corrupt) // 2] ^= 0xFF
    c["compressed-bzip2-corrupt"] = bytes(corrupt)
    c["compressed-bzip2-not-elf"] = bz(b"a changelog, not a core\n" * 4)
    c["compressed-gzip-inside-bzip2"] = bz(gz(valid_elf))
    c["compressed-zstd-core-valid"] = zstd(valid_core)
    half = len(valid_elf) // 2
    c["compressed-zstd-concatenated-frames"] = zstd(valid_elf[:half]) + zstd(valid_elf[half:])
    c["compressed-gzip-concatenated-members"] = gz(valid_elf[:half]) + gz(valid_elf[half:])
    c["compressed-not-elf"] = gz(b"a journal entry, not a core\n" * 4)
    c["compressed-zstd-empty"] = zstd(b"")
    c["compressed-zstd-truncated-header"] = zstd(valid_elf)[:40]
    c["compressed-xz-truncated"] = xz(valid_elf)[:60]
    c["compressed-lz4-truncated"] = lz4(valid_elf)[:40]
    c["compressed-gzip-truncated"] = gz(valid_elf)[:30]
    corrupt = bytearray(xz(valid_elf))
    corrupt[len(corrupt) // 2] ^= 0xFF
    c["compressed-xz-corrupt"] = bytes(corrupt)
    corrupt = bytearray(gz(valid_elf))
    corrupt[12] ^= 0xFF
    c["compressed-gzip-corrupt"] = bytes(corrupt)
    c["compressed-zstd-window-absurd"] = zstd(valid_elf, window_log=41)
    c["compressed-zstd-content-size-absurd"] = zstd(valid_elf, content_size=2**63)
    c["compressed-lz4-block-size-absurd"] = lz4(valid_elf, block_size_claim=0x7FFFFFFF)
    # 1 GiB of zeros in 32 KiB of RLE blocks: before the ELF header, or instead of anything.
    c["compressed-zstd-bomb-before-elf"] = zstd(valid_elf, rle_zeros=1 << 30)
    c["compressed-zstd-bomb-only"] = zstd(b"", rle_zeros=1 << 30)
    c["compressed-gzip-inside-zstd"] = zstd(gz(valid_elf))
    c["compressed-zstd-inside-gzip"] = gz(zstd(valid_elf))
    c["compressed-xz-inside-xz"] = xz(xz(valid_elf))
    return c
