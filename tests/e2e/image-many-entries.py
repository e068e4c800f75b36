#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes an OCI image layout whose layers hold many entries, for the overlay's memory test
(tests/e2e/image-many-entries.sh) and bench (bench/image-many-entries.sh).

image-many-entries.py OUT --entries N --programs DIR [--upper M] [--reference REF]

The bottom layer holds N empty files (bulk/dNNNN/fNNNNNNN, 1000 to a directory, each directory
entry before its files) and the ELF files DIR/a (usr/bin/app, with a hard link usr/bin/app-hard)
and, with --upper, DIR/b (usr/bin/gone), DIR/c (opt/x/a), DIR/d (opt/x/sub/b), DIR/e
(bulk/d0000/elf; DIR/c and DIR/d again at bulk/d0001/elf and bulk/d0002/elf). --upper M adds a second layer: M more empty files (more/dNNNN/fNNNNNNN), a
whiteout of usr/bin/gone, an opaque opt/x with DIR/f at opt/x/c and a hard link usr/lib/alias to
it, a whiteout of the directory bulk/d0001 (1000 files), an opaque bulk/d0002. REF receives the
final filesystem's ELF files as a directory tree (hard links as hard links), worked out here by
hand, for `pkgnote read -r` to give the records the image read must give. Layers are gzip
(pigz when installed, else gzip -n), uncompressed tar streamed by Python's tarfile.
"""
import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile


def add_dir(tar, path):
    info = tarfile.TarInfo(path)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    tar.addfile(info)


def add_file(tar, path, data=b"", mode=0o644):
    info = tarfile.TarInfo(path)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data) if data else None)


def add_link(tar, path, target):
    info = tarfile.TarInfo(path)
    info.type = tarfile.LNKTYPE
    info.linkname = target
    tar.addfile(info)


def add_bulk(tar, top, count):
    for i in range(count):
        if i % 1000 == 0:
            add_dir(tar, "%s/d%04d" % (top, i // 1000))
        add_file(tar, "%s/d%04d/f%07d" % (top, i // 1000, i))


def write_layer(blobs, fill):
    """Runs FILL(tar) into a gzip blob; returns (digest, size, diff_id)."""
    raw = os.path.join(blobs, "layer.tmp")
    gzip = ["pigz", "-n", "-6"] if shutil.which("pigz") else ["gzip", "-n", "-6"]
    with open(raw, "wb") as out:
        proc = subprocess.Popen(gzip, stdin=subprocess.PIPE, stdout=out)
        diff = hashlib.sha256()

        class Hashing(io.RawIOBase):
            def writable(self):
                return True

            def write(self, b):
                diff.update(b)
                proc.stdin.write(b)
                return len(b)

        with tarfile.open(fileobj=Hashing(), mode="w|", format=tarfile.GNU_FORMAT) as tar:
            fill(tar)
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit("compression failed")
    digest = hashlib.sha256()
    with open(raw, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    name = digest.hexdigest()
    os.replace(raw, os.path.join(blobs, name))
    return "sha256:" + name, os.path.getsize(os.path.join(blobs, name)), "sha256:" + diff.hexdigest()


def write_json(blobs, document):
    data = json.dumps(document, sort_keys=True).encode()
    name = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, name), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + name, "size": len(data)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--programs", required=True)
    parser.add_argument("--upper", type=int, default=None)
    parser.add_argument("--reference")
    args = parser.parse_args()

    def program(letter):
        with open(os.path.join(args.programs, letter), "rb") as f:
            return f.read()

    blobs = os.path.join(args.out, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    with open(os.path.join(args.out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def lower(tar):
        add_dir(tar, "usr")
        add_dir(tar, "usr/bin")
        add_file(tar, "usr/bin/app", program("a"), 0o755)
        add_link(tar, "usr/bin/app-hard", "usr/bin/app")
        if args.upper is not None:
            add_file(tar, "usr/bin/gone", program("b"), 0o755)
            add_file(tar, "opt/x/a", program("c"), 0o755)
            add_file(tar, "opt/x/sub/b", program("d"), 0o755)
        add_dir(tar, "bulk")
        add_bulk(tar, "bulk", args.entries)
        if args.upper is not None:
            add_file(tar, "bulk/d0000/elf", program("e"), 0o755)
            add_file(tar, "bulk/d0001/elf", program("c"), 0o755)  # whited out with its directory
            add_file(tar, "bulk/d0002/elf", program("d"), 0o755)  # under an opaque directory

    def upper(tar):
        add_file(tar, "usr/bin/.wh.gone")
        add_file(tar, "opt/x/c", program("f"), 0o755)
        add_file(tar, "opt/x/.wh..wh..opq")  # after the layer's own opt/x/c: it stays
        add_dir(tar, "usr/lib")
        add_link(tar, "usr/lib/alias", "opt/x/c")
        add_file(tar, "bulk/.wh.d0001")
        add_file(tar, "bulk/d0002/.wh..wh..opq")
        add_bulk(tar, "more", args.upper)

    layers = [write_layer(blobs, lower)]
    if args.upper is not None:
        layers.append(write_layer(blobs, upper))
    config = write_json(blobs, {
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [diff for _, _, diff in layers]}})
    manifest = write_json(blobs, {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": dict(config, mediaType="application/vnd.oci.image.config.v1+json"),
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": digest, "size": size} for digest, size, _ in layers]})
    with open(os.path.join(args.out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [dict(
            manifest, mediaType="application/vnd.oci.image.manifest.v1+json",
            annotations={"org.opencontainers.image.ref.name": "many"})]}, f)

    if args.reference:
        # The final filesystem's ELF files, by the overlay rules (docs/images.md).
        ref = args.reference

        def put(path, letter):
            os.makedirs(os.path.dirname(os.path.join(ref, path)), exist_ok=True)
            with open(os.path.join(ref, path), "wb") as f:
                f.write(program(letter))

        put("usr/bin/app", "a")
        os.link(os.path.join(ref, "usr/bin/app"), os.path.join(ref, "usr/bin/app-hard"))
        if args.upper is not None:
            put("bulk/d0000/elf", "e")  # usr/bin/gone and opt/x/{a,sub/b} are gone
            put("opt/x/c", "f")
            os.makedirs(os.path.join(ref, "usr/lib"))
            os.link(os.path.join(ref, "opt/x/c"), os.path.join(ref, "usr/lib/alias"))


main()
