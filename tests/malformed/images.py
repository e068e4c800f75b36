# SPDX-License-Identifier: MIT
# Container-image archives for the malformed corpus (make-corpus.py): OCI and docker archives
# written with python3's tarfile, json, hashlib and gzip (deterministic: fixed mtimes, sorted
# keys), each valid one broken in one way an image reader must check: a blob whose digest does
# not match, a missing blob, bad JSON, a layer that is not a tar, entry names that climb out of
# the root, a whiteout, and a truncation.
import gzip
import hashlib
import io
import json
import tarfile


def _tar(entries):
    """A tar of (name, bytes) pairs; bytes None makes a directory."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if data is None:
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o755
                t.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _gz(data):
    return gzip.compress(data, mtime=0)


def _digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _dump(obj):
    return json.dumps(obj, sort_keys=True).encode()


CONFIG = _dump({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers"}})


def oci_archive(layers, index=None, tamper=None, drop=None):
    """An OCI archive of one image whose LAYERS are blobs (bytes); TAMPER(name, bytes) may change
    a blob after its digest was taken; DROP names a blob left out."""
    blobs = {}
    descs = []
    for layer in layers:
        blobs[_digest(layer)] = layer
        descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": _digest(layer), "size": len(layer)})
    blobs[_digest(CONFIG)] = CONFIG
    manifest = _dump({"schemaVersion": 2, "config": {
        "mediaType": "application/vnd.oci.image.config.v1+json", "digest": _digest(CONFIG),
        "size": len(CONFIG)}, "layers": descs})
    blobs[_digest(manifest)] = manifest
    if index is None:
        index = _dump({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": _digest(manifest), "size": len(manifest),
            "annotations": {"org.opencontainers.image.ref.name": "v1"}}]})
    entries = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index)]
    for digest, data in blobs.items():
        if drop == digest:
            continue
        entries.append(("blobs/sha256/" + digest[7:], tamper(digest, data) if tamper else data))
    return _tar(entries), [d["digest"] for d in descs], _digest(manifest)


def docker_archive(layers):
    """A docker archive, layers first and manifest.json last, as docker save writes it."""
    entries = []
    paths = []
    for i, layer in enumerate(layers):
        path = "layer%d/layer.tar" % i
        entries.append((path, layer))
        paths.append(path)
    entries.append(("config.json", CONFIG))
    entries.append(("manifest.json", _dump(
        [{"Config": "config.json", "RepoTags": ["example.org/app:1"], "Layers": paths}])))
    return _tar(entries)


def docker25_archive(layers, tamper=False):
    """docker 25's save: an OCI layout whose manifest.json names the blobs by path."""
    oci, digests, _ = oci_archive(layers)
    entries = []
    with tarfile.open(fileobj=io.BytesIO(oci)) as t:
        for member in t.getmembers():
            data = t.extractfile(member).read()
            if tamper and member.name == "blobs/sha256/" + digests[0][7:]:
                data = data[:-1] + bytes([data[-1] ^ 1])
            entries.append((member.name, data))
    entries.append(("manifest.json", _dump([{
        "Config": "blobs/sha256/" + _digest(CONFIG)[7:], "RepoTags": ["example.org/app:25"],
        "Layers": ["blobs/sha256/" + d[7:] for d in digests]}])))
    return _tar(entries)


def cases(elf):
    app = _tar([("usr/", None), ("usr/bin/", None), ("usr/bin/app", elf)])
    out = {}
    out["image-oci-valid"], _, _ = oci_archive([_gz(app)])
    out["image-docker-valid"] = docker_archive([app])
    out["image-docker-gzip-whole"] = _gz(docker_archive([app]))
    # The file is deleted by the second layer's whiteout: no ELF file is left, nothing is printed.
    out["image-whiteout-deletes"], _, _ = oci_archive(
        [_gz(app), _gz(_tar([("usr/bin/.wh.app", b"")]))])
    # Names that climb out of the root are resolved inside it: /usr/bin/app.
    out["image-entry-dotdot"] = docker_archive([_tar([("../../../usr/bin/app", elf)])])
    out["image-oci-layer-digest-mismatch"], _, _ = oci_archive(
        [_gz(app)], tamper=lambda d, b: b + gzip.compress(b"", mtime=0)
        if b == _gz(app) else b)
    data, layers, _ = oci_archive([_gz(app)])
    out["image-oci-layer-missing"], _, _ = oci_archive([_gz(app)], drop=layers[0])
    _, _, manifest = oci_archive([_gz(app)])
    out["image-oci-manifest-missing"], _, _ = oci_archive([_gz(app)], drop=manifest)
    out["image-oci-index-bad-json"], _, _ = oci_archive([_gz(app)], index=b'{"manifests":[')
    out["image-docker-layer-not-tar"] = docker_archive([_gz(b"not a tar" * 100)])
    out["image-docker25-valid"] = docker25_archive([app])
    out["image-docker25-layer-digest-mismatch"] = docker25_archive([app], tamper=True)
    docker = docker_archive([app])
    out["image-docker-truncated"] = docker[:len(docker) // 2]
    return out
