#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every `pkgnote` example of the README, the man pages and each command's --help on
fixtures built here, and checks its exit status and the shape of what it prints.

An example is a `pkgnote SUBCOMMAND ...` command found in README.md's ```sh blocks, in the
EXAMPLES section of man/*.scd, and in the "Examples:" footer of `pkgnote SUB --help`. Each must
be in EXAMPLES below, with the exit status the docs promise and a shape checker; an example that
appears in the docs but not here (a new or changed one) fails, and so does one listed here that
the docs no longer show. Absolute paths in examples (/usr/bin/qemu-aarch64-static, /usr/lib,
/srv/guest, ~/rpmbuild) name fixtures under a scratch directory, where the examples run.

Usage: docs-examples.py PKGNOTE SOURCE_DIR
"""
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

PKGNOTE, SOURCE = sys.argv[1], sys.argv[2]
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAIL: " + message, file=sys.stderr)


# --- shapes: each takes (stdout, stderr, cwd) and returns a problem or None -----------------

FIELD = re.compile(r"^(  )*[A-Za-z][\w.-]*:( +\S.*)?$")


def read_text(out, err, cwd):
    if not out.startswith("path:"):
        return "text output does not start with a path: line"
    for line in out.splitlines():
        if line and not FIELD.match(line) and not line.startswith("image: "):
            return "not a key: value line: %r" % line
    if not re.search(r"^pkgnote: files read: \d+, stamped: \d+, unstamped: \d+, errors: \d+$", err, re.M):
        return "no summary on stderr"
    if "files read" in out:
        return "the summary is on stdout"
    return None


def core_text(out, err, cwd):
    return read_text(out, err, cwd) or (None if re.search(r"^module: +/", out, re.M) else "no module: line")


def json_lines(*keys):
    def check(out, err, cwd):
        lines = out.splitlines()
        if not lines:
            return "no JSON record"
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                return "not JSON Lines: %r" % line
            missing = [key for key in keys if key not in record]
            if missing:
                return "record without %s: %s" % (missing, line)
        return None
    return check


def cyclonedx(path):
    def check(out, err, cwd):
        try:
            document = json.load(open(os.path.join(cwd, path)))
        except (OSError, ValueError) as error:
            return "%s: %s" % (path, error)
        if document.get("bomFormat") != "CycloneDX" or document.get("specVersion") != "1.6":
            return "%s is not a CycloneDX 1.6 document" % path
        return None
    return check


def written(path, pattern):
    def check(out, err, cwd):
        if out:
            return "printed on stdout: %r" % out[:80]
        try:
            text = open(os.path.join(cwd, path), encoding="utf-8", errors="replace").read()
        except OSError as error:
            return str(error)
        return None if re.search(pattern, text) else "%s does not match %r" % (path, pattern)
    return check


def payload(out, err, cwd):
    try:
        value = json.loads(out)
    except ValueError:
        return "not JSON: %r" % out
    return None if value.get("name") == "hello" else "unexpected payload %r" % out


def ld_flag(out, err, cwd):
    return None if re.fullmatch(r"[^\n]*--package-metadata=[^\n]*\n", out) else "not one driver flag: %r" % out


def stamped_summary(out, err, cwd):
    if out:
        return "printed on stdout: %r" % out[:80]
    return None if re.search(r"^pkgnote: files stamped: \d+, unchanged: \d+, left alone: \d+, errors: 0$", err, re.M) \
        else "no stamp summary on stderr: %r" % err


def verify_text(out, err, cwd):
    if out:
        return "a file is not ok: %r" % out
    return None if re.search(r"^pkgnote: .*: checked [1-9]\d*, ok [1-9]\d*, unstamped 0, mismatch 0", err, re.M) \
        else "no verify summary on stderr: %r" % err


def ps_text(out, err, cwd):
    for line in out.splitlines():
        if not re.match(r"^(\d+ |    /)", line):
            return "not a process or module line: %r" % line
    return None if re.search(r"^pkgnote: processes read: \d+, stale: \d+, unreadable: \d+$", err, re.M) \
        else "no ps summary on stderr: %r" % err


def binfmt_which(out, err, cwd):
    first = out.splitlines()[0] if out else ""
    return None if re.fullmatch(r"\./hello-aarch64: (run by \S+|no binfmt_misc registration matches)", first) \
        else "unexpected first line %r" % first


# --- the examples: command as the docs show it -> (exit status or statuses, shape) -----------

EXAMPLES = {
    # README
    "pkgnote generate --rpm qemu-user-static-8.1.3-1.fc39.x86_64 --os-cpe auto -o note.ld":
        (0, written("note.ld", r"\.note\.package")),
    "pkgnote stamp --type deb --name qemu --version 1:7.2+dfsg-7 /usr/bin/qemu-aarch64-static":
        (0, stamped_summary),
    "pkgnote stamp --if-unstamped -r --rpm hello-1.0-1.fc40.x86_64 buildroot/usr": (0, stamped_summary),
    "pkgnote read /usr/bin/qemu-aarch64-static": (0, read_text),
    "pkgnote read --json -r /usr/lib": (1, json_lines("path", "elfType")),
    "pkgnote read --root /srv/guest qemu_sleeper.core": (0, core_text),
    "pkgnote read -r /var/lib/systemd/coredump": (0, read_text),
    "pkgnote read -r --exit-zero --format cyclonedx rootfs/ >sbom.cdx.json": (0, cyclonedx("sbom.cdx.json")),
    "pkgnote read --deps --root rootfs rootfs/usr/bin/curl": (0, lambda o, e, c: read_text(o, e, c) or (None if re.search(r"^needed: +libc\.so\.6 => ", o, re.M) else "no needed: line")),
    "pkgnote ps --stale": ((0, 1), ps_text),
    "pkgnote read --json ./oci-dir": (0, json_lines("path", "image", "platform", "layer", "package")),
    "pkgnote read --ref v1 --platform linux/arm64 ./oci-dir": (0, lambda o, e, c: None if o.startswith("image: ./oci-dir  ref: v1  platform: linux/arm64") else "no image heading: %r" % o[:80]),
    "pkgnote binfmt --which ./hello-aarch64": ((0, 1), binfmt_which),
    "pkgnote verify ~/rpmbuild/RPMS/x86_64/qemu-user-static-*.rpm": (0, verify_text),
    "pkgnote verify --json qemu-user-static_*.deb": (0, json_lines("package", "path", "verdict")),
    "pkgnote verify --rpm emu-1.0-1.x86_64 build-root/": (0, verify_text),
    # pkgnote-binfmt(1)
    "pkgnote binfmt --json --root /srv/image": (0, json_lines("name", "source", "active", "package")),
    # pkgnote-generate(1)
    "pkgnote generate --name hello --version 1 --format lld-script -o note.lld": (0, written("note.lld", r"\.note\.package")),
    "pkgnote generate --name hello --format ld-flag": (0, ld_flag),
    "pkgnote generate --type deb --name hello --version 1 --format json": (0, payload),
    # pkgnote-read(1)
    "pkgnote read --deps --json --root rootfs rootfs/usr/bin/curl": (0, json_lines("path", "needed", "resolved")),
    "pkgnote read --json build/*.so": (0, json_lines("path", "elfType", "package")),
    "pkgnote read -r --jobs 8 /usr/lib /usr/libexec": (1, read_text),
    "pkgnote read -r --exit-zero --format cyclonedx rootfs/ > sbom.cdx.json": (0, cyclonedx("sbom.cdx.json")),
    "pkgnote read --root /srv/aarch64-chroot qemu_sleeper_20261123-101010_4242.core": (0, core_text),
    "pkgnote read --json --platform linux/arm64 ./oci-layout-dir": (0, json_lines("path", "image", "platform")),
    "pkgnote read -": (0, read_text),
    # pkgnote-stamp(1) and stamp --help
    "pkgnote stamp --rpm qemu-user-static-8.2.0-1.fc40.x86_64 --os-cpe auto /usr/bin/qemu-*-static": (0, stamped_summary),
    "pkgnote stamp --if-unstamped --type deb --name hello --version 1.2-3 --architecture amd64 -r debian/hello": (0, stamped_summary),
    "pkgnote stamp --type deb --name hello --version 1.2-3 --architecture amd64 -r debian/hello": (0, stamped_summary),
    "pkgnote stamp --if-unstamped --type deb --name app --version 1 -o app.stamped app": (0, written("app.stamped", r"ELF")),
    # pkgnote-verify(1) and verify --help
    "pkgnote verify ~/rpmbuild/RPMS/x86_64/*.rpm": (0, verify_text),
    "pkgnote verify --json qemu-user-static_*.deb": (0, json_lines("package", "path", "verdict")),
    "pkgnote verify --type deb --name hello --version 1.2-3 --architecture amd64 debian/hello": (0, verify_text),
    # read --help
    "pkgnote read -r --exit-zero --format cyclonedx rootfs/ >sbom.cdx.json": (0, cyclonedx("sbom.cdx.json")),
}

# What stdin carries for an example that reads it (the docs pipe skopeo or coredumpctl into it).
STDIN = {"pkgnote read -": "usr/bin/qemu-aarch64-static"}

COMMAND = re.compile(r"pkgnote (?:generate|read|binfmt|verify|stamp|ps)\b[^)|#\n`]*")


def normalise(text):
    text = text.replace("\\*", "*").replace("\\_", "_")
    return re.sub(r"\s+", " ", text).strip()


def documented():
    """(command, where) for every example in the README, the man pages and --help."""
    found = []
    readme = open(os.path.join(SOURCE, "README.md"), encoding="utf-8").read()
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        for line in block.splitlines():
            if line.startswith("pkgnote "):
                found.append((normalise(COMMAND.match(line).group(0)), "README.md"))
    for page in sorted(glob.glob(os.path.join(SOURCE, "man", "*.scd"))):
        text = open(page, encoding="utf-8").read()
        section = re.search(r"^# EXAMPLES\n(.*?)(?=^# |\Z)", text, re.S | re.M)
        if not section:
            continue
        for line in section.group(1).splitlines():
            for command in COMMAND.findall(line):
                if not line.lstrip().startswith(("run ", "*")):
                    found.append((normalise(command), os.path.basename(page)))
    for sub in ("generate", "read", "binfmt", "verify", "stamp", "ps"):
        help_text = subprocess.run([PKGNOTE, sub, "--help"], capture_output=True, text=True).stdout
        section = re.search(r"^Examples:\n(.*?)(?:\n\n|\Z)", help_text, re.S | re.M)
        for line in section.group(1).splitlines() if section else []:
            for command in COMMAND.findall(line):
                found.append((normalise(command), sub + " --help"))
    return found


# --- fixtures --------------------------------------------------------------------------------

def sh(*args, **kwargs):
    subprocess.run(args, check=True, **kwargs)


def stamp(path, *metadata):
    sh(PKGNOTE, "stamp", *metadata, path, stderr=subprocess.DEVNULL)


def oci_layout(directory, program):
    """An OCI image layout holding PROGRAM at /usr/bin/prog, ref v1, platform linux/arm64."""
    blobs = os.path.join(directory, "blobs", "sha256")
    os.makedirs(blobs)

    def blob(data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        open(os.path.join(blobs, digest), "wb").write(data)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in ("usr", "usr/bin"):
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        tar.add(program, "usr/bin/prog")
    diff = layer.getvalue()
    packed = gzip.compress(diff, mtime=0)
    config = json.dumps({"architecture": "arm64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(diff).hexdigest()]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": blob(config, "application/vnd.oci.image.config.v1+json"),
                           "layers": [blob(packed, "application/vnd.oci.image.layer.v1.tar+gzip")]}).encode()
    entry = blob(manifest, "application/vnd.oci.image.manifest.v1+json")
    entry["platform"] = {"architecture": "arm64", "os": "linux"}
    entry["annotations"] = {"org.opencontainers.image.ref.name": "v1"}
    open(os.path.join(directory, "index.json"), "w").write(json.dumps({"schemaVersion": 2, "manifests": [entry]}))
    open(os.path.join(directory, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')


def gcore(program, prefix):
    """A core of PROGRAM (running), by gdb's gcore; its path."""
    process = subprocess.Popen([program])
    time.sleep(0.5)
    subprocess.run(["gcore", "-o", prefix, str(process.pid)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return "%s.%d" % (prefix, process.pid)


def fixtures(root):
    os.chdir(root)
    open("prog.c", "w").write("int main(void) { return 0; }\n")
    open("sleeper.c", "w").write("#include <unistd.h>\nint main(void) { for (;;) pause(); }\n")
    open("lib.c", "w").write("int lib(void) { return 1; }\n")
    deb = ["--type", "deb", "--name", "qemu", "--version", "1:7.2+dfsg-7", "--architecture", "amd64"]
    hello = ["--type", "deb", "--name", "hello", "--version", "1.2-3", "--architecture", "amd64"]
    os.makedirs("usr/bin")
    # A static PIE stands in for Debian's qemu-aarch64-static (elfType executable).
    sh("gcc", "-static-pie", "-o", "usr/bin/qemu-aarch64-static", "prog.c")
    stamp("usr/bin/qemu-aarch64-static", *deb)
    # /usr/lib: a stamped and an unstamped library (read -r exits 1); /usr/libexec.
    os.makedirs("usr/lib")
    sh("gcc", "-shared", "-fPIC", "-o", "usr/lib/libstamped.so.1", "lib.c")
    stamp("usr/lib/libstamped.so.1", *hello)
    sh("gcc", "-shared", "-fPIC", "-o", "usr/lib/libplain.so.1", "lib.c")
    os.makedirs("usr/libexec")
    shutil.copy("usr/bin/qemu-aarch64-static", "usr/libexec/helper")
    os.makedirs("build")
    for name in ("liba.so", "libb.so"):
        sh("gcc", "-shared", "-fPIC", "-o", "build/" + name, "lib.c")
        stamp("build/" + name, *hello)
    # Trees to stamp and verify.
    for tree in ("buildroot/usr/bin", "debian/hello/usr/bin", "build-root/usr/bin", "rootfs/usr/bin"):
        os.makedirs(tree)
        sh("gcc", "-o", tree + "/prog", "prog.c")
    stamp("build-root/usr/bin/prog", "--rpm", "emu-1.0-1.x86_64")
    shutil.copy("usr/lib/libplain.so.1", "rootfs/usr/bin/")
    stamp("rootfs/usr/bin/prog", *hello)
    shutil.copy("rootfs/usr/bin/prog", "rootfs/usr/bin/curl")
    sh("gcc", "-o", "app", "prog.c")
    # systemd-coredump's store: a compressed stamped program stands in for a compressed core.
    os.makedirs("var/lib/systemd/coredump")
    with open("usr/bin/qemu-aarch64-static", "rb") as plain, \
            gzip.open("var/lib/systemd/coredump/core.prog.1000.gz", "wb") as packed:
        packed.write(plain.read())
    # A core of a stamped program, read with --root.
    sh("gcc", "-o", "sleeper", "sleeper.c")
    stamp("sleeper", *hello)
    core = gcore(os.path.abspath("sleeper"), os.path.join(root, "gcore"))
    for name, root_dir in (("qemu_sleeper.core", "srv/guest"),
                           ("qemu_sleeper_20261123-101010_4242.core", "srv/aarch64-chroot")):
        shutil.copy(core, name)
        os.makedirs(root_dir)
    # binfmt: an aarch64 ELF header for --which; a root with a registration and its interpreter.
    open("hello-aarch64", "wb").write(b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\xb7\x00" + bytes(44))
    os.makedirs("srv/image/usr/lib/binfmt.d")
    os.makedirs("srv/image/usr/bin")
    shutil.copy("usr/bin/qemu-aarch64-static", "srv/image/usr/bin/")
    open("srv/image/usr/lib/binfmt.d/qemu-aarch64.conf", "w").write(
        ":qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00"
        "::/usr/bin/qemu-aarch64-static:POF\n")
    # OCI layouts.
    oci_layout("oci-dir", "usr/bin/qemu-aarch64-static")
    shutil.copytree("oci-dir", "oci-layout-dir")
    # Packages: an rpm by rpmbuild, a deb by dpkg-deb, each holding the stamped static PIE.
    os.makedirs("pkg/DEBIAN")
    os.makedirs("pkg/usr/bin")
    shutil.copy("usr/bin/qemu-aarch64-static", "pkg/usr/bin/")
    open("pkg/DEBIAN/control", "w").write(
        "Package: qemu-user-static\nSource: qemu\nVersion: 1:7.2+dfsg-7\nArchitecture: amd64\n"
        "Maintainer: nobody <nobody@example.org>\nDescription: stand-in\n")
    sh("dpkg-deb", "--root-owner-group", "-b", "pkg", "qemu-user-static_7.2_amd64.deb", stdout=subprocess.DEVNULL)
    rpm_binary = os.path.abspath("rpm-qemu")
    shutil.copy("usr/bin/qemu-aarch64-static", rpm_binary)
    stamp(rpm_binary, "--rpm", "qemu-user-static-8.1.3-1.x86_64")
    os.makedirs("rpmbuild/SPECS")
    open("rpmbuild/SPECS/q.spec", "w").write(
        "Name: qemu-user-static\nVersion: 8.1.3\nRelease: 1\nSummary: stand-in\nLicense: MIT\n"
        "%%description\nstand-in\n%%install\nmkdir -p %%{buildroot}/usr/bin\n"
        "cp %s %%{buildroot}/usr/bin/qemu-aarch64-static\n%%files\n/usr/bin/qemu-aarch64-static\n" % rpm_binary)
    sh("rpmbuild", "-bb", "--nodeps", "--define", "_topdir " + os.path.abspath("rpmbuild"), "--define", "__strip /bin/true",
       "--define", "debug_package %{nil}", "--define", "__os_install_post %{nil}",
       "--define", "_build_id_links none", "rpmbuild/SPECS/q.spec",
       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- running -----------------------------------------------------------------------------------

def run(command, root, home):
    want, check = EXAMPLES[command]
    wants = want if isinstance(want, tuple) else (want,)
    shell = command
    for absolute in ("/usr/bin/", "/usr/lib", "/usr/libexec", "/var/lib/", "/srv/"):
        shell = shell.replace(" " + absolute, " " + absolute[1:])
    shell = shell.replace("~/", home + "/")
    redirect = re.search(r"\s*>\s*(\S+)$", shell)
    stdin = open(os.path.join(root, STDIN[command]), "rb") if command in STDIN else subprocess.DEVNULL
    env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(PKGNOTE)) + os.pathsep + os.environ["PATH"],
               SOURCE_DATE_EPOCH="1700000000")
    result = subprocess.run(["sh", "-c", shell], cwd=root, stdin=stdin, capture_output=True, env=env)
    out, err = result.stdout.decode(errors="replace"), result.stderr.decode(errors="replace")
    if result.returncode not in wants:
        fail("%s: exit %d, the docs promise %s; stderr: %s" % (command, result.returncode, want, err.strip()))
        return
    problem = check(out, err, root)
    if problem:
        fail("%s: %s" % (command, problem))
    else:
        print("ok: %s (exit %d)%s" % (command, result.returncode, " -> " + redirect.group(1) if redirect else ""))


def main():
    examples = documented()
    known = set(EXAMPLES)
    for command, where in examples:
        if command not in known:
            fail("%s: new or changed example %r: add it to tests/e2e/docs-examples.py" % (where, command))
    for command in sorted(known - {command for command, _ in examples}):
        fail("example %r is no longer in the docs: remove it from tests/e2e/docs-examples.py" % command)
    root = tempfile.mkdtemp(prefix="pkgnote-docs.")
    try:
        fixtures(root)
        seen = set()
        for command, _ in examples:
            if command in known and command not in seen:
                seen.add(command)
                run(command, root, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("%d examples, %d failures" % (len(examples), len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    PKGNOTE = os.path.abspath(PKGNOTE)
    sys.exit(main())
