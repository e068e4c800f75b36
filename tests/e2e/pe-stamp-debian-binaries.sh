#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's own PE files: libz-mingw-w64's zlib1.dll (x86_64 and i686) and systemd-boot-efi's EFI
# binaries are stamped and read back ("efi-application") and pass pefile's checks. An
# Authenticode-signed file — shim-signed's shimx64.efi.signed and a mingw DLL
# signed here with osslsigncode — is refused and left byte-identical; --allow-unsigning stamps it
# without its certificate table, with a warning. The objcopy flow docs/pe.md gives for EFI builds
# adds a section pkgnote and pefile read.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/pe-helpers.sh"

payload='{"type":"deb","name":"debian-pe","version":"1"}'
stamp() { "$PKGNOTE" stamp --type deb --name debian-pe --version 1 "$@"; }

set -- /usr/x86_64-w64-mingw32/lib/zlib1.dll:dll:x86-64 /usr/i686-w64-mingw32/lib/zlib1.dll:dll:i386
for efi in /usr/lib/systemd/boot/efi/*.efi /usr/lib/systemd/boot/efi/*.efi.stub; do
  [ -f "$efi" ] && set -- "$@" "$efi:efi-application:x86-64"
done
[ $# -ge 3 ] || fail "systemd-boot-efi's EFI binaries not installed (scripts/install-deps)"
n=0
for entry in "$@"; do
  src=${entry%%:*} rest=${entry#*:}
  type=${rest%%:*} machine=${rest#*:}
  [ -f "$src" ] || fail "$src not installed (scripts/install-deps)"
  n=$((n + 1))
  file=$T/$n-$(basename "$src")
  cp "$src" "$file"
  stamp "$file" 2>"$T/err" || fail "$src: $(cat "$T/err")"
  $PYTHON "$PE_CHECK" "$file" "$payload" "$src" || fail "$src: pefile"
  json=$(pe_json "$file")
  [ "$json" = "{\"path\":\"$file\",\"format\":\"pe\",\"peType\":\"$type\",\"machine\":\"$machine\",\"package\":$payload}" ] ||
    fail "$src: $json"
done
echo "ok: Debian's zlib1.dll and systemd-boot EFI binaries stamped and read"

# refused_signed FILE: refused byte-identical, then stamped with --allow-unsigning.
refused_signed() {
  cp "$1" "$T/signed"
  status=0
  stamp "$T/signed" 2>"$T/err" || status=$?
  [ "$status" = 2 ] || fail "$1: status $status"
  grep -q "^pkgnote: error: '$T/signed': Authenticode-signed (certificate table at 0x[0-9a-f]*+0x[0-9a-f]*): a new section would invalidate the signature; --allow-unsigning removes it\$" "$T/err" ||
    fail "$1: $(cat "$T/err")"
  cmp -s "$1" "$T/signed" || fail "$1: changed though refused"
  stamp --allow-unsigning "$T/signed" 2>"$T/err" || fail "$1 --allow-unsigning: $(cat "$T/err")"
  grep -q "^pkgnote: warning: '$T/signed': the Authenticode signature (certificate table at .*) was removed: sign the stamped file again\$" "$T/err" ||
    fail "$1 --allow-unsigning: $(cat "$T/err")"
  $PYTHON -c 'import pefile,sys; p=pefile.PE(sys.argv[1]); d=p.OPTIONAL_HEADER.DATA_DIRECTORY[4]; assert d.Size == 0 and d.VirtualAddress == 0, d' "$T/signed" ||
    fail "$1: certificate table still there"
  $PYTHON "$PE_CHECK" "$T/signed" "$payload" "$1" || fail "$1 unsigned: pefile"
  echo "ok: $1 refused byte-identical; stamped with --allow-unsigning"
}

shim=/usr/lib/shim/shimx64.efi.signed
[ -f $shim ] || fail "$shim not installed (shim-signed, scripts/install-deps)"
refused_signed $shim

command -v osslsigncode >/dev/null 2>&1 || fail "osslsigncode not installed (scripts/install-deps)"
command -v openssl >/dev/null 2>&1 || fail "openssl not installed"
build_pair x86_64 "$T/sign"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=pkgnote-test -keyout "$T/key.pem" \
  -out "$T/cert.pem" 2>/dev/null
osslsigncode sign -certs "$T/cert.pem" -key "$T/key.pem" -in "$T/sign/lib.dll" \
  -out "$T/sign/signed.dll" >/dev/null
refused_signed "$T/sign/signed.dll"

# The EFI objcopy flow docs/pe.md gives: the section added from the payload file by objcopy.
"$PKGNOTE" generate --format json --type deb --name debian-pe --version 1 | tr -d '\n' >"$T/pkgnote.json"
printf '\0' >>"$T/pkgnote.json"
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
[ -f $stub ] || fail "$stub not installed (systemd-boot-efi, scripts/install-deps)"
objcopy --add-section .pkgnote="$T/pkgnote.json" --set-section-flags .pkgnote=data,readonly \
  $stub "$T/stub.efi"
# (Not pe-check.py: objcopy leaves SizeOfImage unaligned here, which is its own affair.)
$PYTHON -c 'import pefile,sys; p=pefile.PE(sys.argv[1]); s=[s for s in p.sections if s.Name.rstrip(b"\0")==b".pkgnote"]; assert len(s)==1 and s[0].Characteristics==0x40000040, s' \
  "$T/stub.efi" || fail "objcopy flow: pefile"
json=$(pe_json "$T/stub.efi")
case $json in *"\"peType\":\"efi-application\",\"machine\":\"x86-64\",\"package\":$payload}") ;; *) fail "objcopy flow: $json" ;; esac
echo "ok: objcopy --add-section .pkgnote on the EFI stub, as docs/pe.md says"
