#!/bin/sh
# SPDX-License-Identifier: MIT
# `pkgnote read` of container images made by the real tools (umoci, skopeo) equals `umoci unpack`
# followed by `pkgnote read -r` of the rootfs: the same files (path, build-id, package) for each
# ref of a layout with replaced files, both whiteout kinds and a hard link; the same again from
# zstd layers, an OCI archive, a docker archive, stdin and a compressed archive on stdin; --ref
# and --platform select (a multi-platform index with an aarch64 image); the JSON fields; and
# tampered, missing and truncated blobs are exit 2 naming the image and the blob.
set -eu
: "${PKGNOTE:?}"
for tool in umoci skopeo gcc jq; do
  command -v $tool >/dev/null || { echo "skipped: $tool not installed" >&2; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/pkgnote-image.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$T"

printf 'int main(void) { return 0; }\n' >main.c
stamp() { gcc -o "$1" main.c -Xlinker "--package-metadata={\"type\":\"deb\",\"name\":\"$2\",\"version\":\"$3\"}"; }

# Layer 1: a tree with stamped and unstamped files, a hard link, a symlink to ELF, a script.
mkdir -p l1/usr/bin l1/usr/lib l1/opt/x l1/etc
stamp l1/usr/bin/tool tool 1.0
stamp l1/usr/bin/gone gone 1.0
stamp l1/opt/x/a xa 1.0
stamp l1/opt/x/b xb 1.0
gcc -shared -fPIC -o l1/usr/lib/libz.so main.c -Xlinker '--package-metadata={"type":"deb","name":"libz"}'
gcc -o l1/usr/bin/plain main.c
ln l1/usr/bin/tool l1/usr/bin/tool-hard
ln -s tool l1/usr/bin/tool-link
printf '#!/bin/sh\n' >l1/usr/bin/script
printf 'x\n' >l1/etc/config
stamp tool2 tool 2.0
mkdir -p newx && stamp newx/c xc 2.0

umoci init --layout lay
umoci new --image lay:base
umoci insert --rootless --image lay:base --tag one l1 / >/dev/null
# Layer 2: tool replaced, gone whited out (.wh.gone), /opt/x made opaque (.wh..wh..opq).
umoci insert --rootless --image lay:one --tag two tool2 /usr/bin/tool >/dev/null
umoci insert --rootless --image lay:two --whiteout /usr/bin/gone >/dev/null
umoci insert --rootless --image lay:two --opaque newx /opt/x >/dev/null

# What a file is, without where it came from: path, build-id, package.
norm() { jq -c '{path, buildId, package}' | sort; }
oracle() { # REF: umoci unpack + pkgnote read -r of the rootfs
  rm -rf "bundle-$1"
  umoci unpack --rootless --image "lay:$1" "bundle-$1" >/dev/null
  "$PKGNOTE" read -r --json "bundle-$1/rootfs" | jq -c --arg r "bundle-$1/rootfs" '.path |= ltrimstr($r)' | norm
}

for ref in one two; do
  oracle $ref >"want-$ref"
  [ -s "want-$ref" ] || fail "oracle for $ref is empty"
  status=0
  "$PKGNOTE" read --json --ref $ref lay >"got-$ref.json" || status=$?
  [ "$status" = 1 ] || fail "$ref: status $status, expected 1 (plain is unstamped)"
  norm <"got-$ref.json" >"got-$ref"
  cmp -s "want-$ref" "got-$ref" || fail "$ref differs from umoci unpack: $(diff "want-$ref" "got-$ref")"
done
grep -q '"/usr/bin/gone"' want-one || fail "layer 1 lacks gone"
! grep -q '"/usr/bin/gone"' got-two || fail "whiteout not applied"
! grep -q '"/opt/x/a"' got-two || fail "opaque whiteout not applied"
grep -q '"/opt/x/c"' got-two || fail "opaque directory lost its new file"
[ "$(grep -c '"name":"tool"' got-one)" = 1 ] || fail "the hard link is not one file: $(cat got-one)"
grep -q '"path":"/usr/bin/tool-hard".*"version":"1.0"' got-two || fail "the hard link lost the replaced bytes"
grep -q '"path":"/usr/bin/tool","buildId":"[0-9a-f]*","package":{"type":"deb","name":"tool","version":"2.0"' got-two ||
  fail "replaced file: $(grep tool got-two)"

# The JSON fields: image as given, ref, platform, the layer that supplied the file.
layer2=$(jq -r '.layers[1].digest' "lay/blobs/sha256/$(jq -r '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"=="two") | .digest' lay/index.json | cut -d: -f2)")
jq -se --arg l "$layer2" 'map(select(.path=="/usr/bin/tool")) | length==1 and (.[0] | .image=="lay" and .ref=="two" and .platform=="linux/amd64" and .layer==$l)' \
  got-two.json >jq.out || fail "JSON fields of /usr/bin/tool: $(cat jq.out) $(grep '"/usr/bin/tool"' got-two.json)"

# Every ref of the layout without --ref: base (empty), one, two.
"$PKGNOTE" read --json lay >all.json || true
[ "$(jq -r .ref all.json | sort -u | tr '\n' ' ')" = "one two " ] || fail "refs read: $(jq -r .ref all.json | sort -u)"

# The same image through skopeo: zstd layers, OCI archive, docker archive, stdin.
skopeo copy --quiet --dest-compress-format zstd oci:lay:two oci:zlay:two
head -c 4 "zlay/blobs/sha256/$(jq -r '.layers[0].digest' "zlay/blobs/sha256/$(jq -r '.manifests[0].digest' zlay/index.json | cut -d: -f2)" | cut -d: -f2)" | od -An -tx1 | grep -q '28 b5 2f fd' ||
  fail "skopeo did not write zstd layers"
skopeo copy --quiet oci:lay:two oci-archive:oci.tar:two
skopeo copy --quiet oci:lay:two docker-archive:docker.tar:example.org/app:two
for input in zlay oci.tar docker.tar; do
  "$PKGNOTE" read --json "$input" | norm >got || true
  cmp -s want-two got || fail "$input differs from umoci unpack: $(diff want-two got)"
done
"$PKGNOTE" read --json - <docker.tar | norm >got || true
cmp -s want-two got || fail "docker archive on stdin differs: $(diff want-two got)"
gzip -c oci.tar | "$PKGNOTE" read --json - | norm >got || true
cmp -s want-two got || fail "gzip OCI archive on stdin differs: $(diff want-two got)"
"$PKGNOTE" read --json docker.tar | jq -se 'map(select(.path=="/usr/bin/tool")) | length==1 and (.[0] | .ref=="example.org/app:two" and .image=="docker.tar")' >/dev/null ||
  fail "docker archive ref: $("$PKGNOTE" read --json docker.tar | grep tool)"
# manifest.json last in the docker archive (as skopeo and docker save write it): read anyway.
[ "$(tar tf docker.tar | tail -n 2 | head -n 1)" = manifest.json ] || tar tf docker.tar | grep -q manifest.json

# A multi-platform index: the amd64 image and an arm64 one, built by hand as the tools cannot.
if command -v aarch64-linux-gnu-gcc >/dev/null; then
  mkdir -p arm/usr/bin
  aarch64-linux-gnu-gcc -o arm/usr/bin/tool main.c -Xlinker '--package-metadata={"type":"deb","name":"tool","architecture":"arm64"}'
  umoci new --image lay:arm
  umoci config --image lay:arm --architecture arm64 --os linux >/dev/null
  umoci insert --rootless --image lay:arm arm / >/dev/null
  digest() { jq -r --arg r "$1" '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"==$r) | .digest' lay/index.json; }
  size() { jq -r --arg r "$1" '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"==$r) | .size' lay/index.json; }
  jq -cn --arg a "$(digest two)" --argjson sa "$(size two)" --arg b "$(digest arm)" --argjson sb "$(size arm)" \
    '{schemaVersion:2,mediaType:"application/vnd.oci.image.index.v1+json",manifests:[
      {mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$a,size:$sa,platform:{os:"linux",architecture:"amd64"}},
      {mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$b,size:$sb,platform:{os:"linux",architecture:"arm64",variant:"v8"}}]}' >multi.json
  mdigest=sha256:$(sha256sum multi.json | cut -d' ' -f1)
  cp multi.json "lay/blobs/sha256/${mdigest#sha256:}"
  jq -c --arg d "$mdigest" --argjson s "$(stat -c %s multi.json)" \
    '.manifests += [{mediaType:"application/vnd.oci.image.index.v1+json",digest:$d,size:$s,annotations:{"org.opencontainers.image.ref.name":"multi"}}]' \
    lay/index.json >index.new && mv index.new lay/index.json
  "$PKGNOTE" read --json --ref multi lay >multi.out || true
  [ "$(jq -r .platform multi.out | sort -u | tr '\n' ' ')" = "linux/amd64 linux/arm64/v8 " ] || fail "multi platforms: $(jq -r .platform multi.out | sort -u)"
  "$PKGNOTE" read --json --ref multi --platform linux/arm64 lay >arm.out
  [ "$(jq -r '[.path, .elfArchitecture, .ref] | join(" ")' arm.out)" = "/usr/bin/tool AARCH64 multi" ] || fail "arm64 selection: $(cat arm.out)"
fi

# Selections that match nothing, tampered, missing and truncated blobs: exit 2 naming them.
expect_error() { # PATTERN COMMAND...
  pattern=$1; shift
  status=0
  "$@" >/dev/null 2>err || status=$?
  [ "$status" = 2 ] || fail "$*: status $status, expected 2"
  grep -q "$pattern" err || fail "$*: message: $(cat err)"
}
expect_error "'lay': no image matches --ref nothere" "$PKGNOTE" read --ref nothere lay
cp -r lay bad
blob=bad/blobs/sha256/${layer2#sha256:}
chmod u+w "$blob"
printf 'X' | dd of="$blob" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_error "'bad': blob $layer2: " "$PKGNOTE" read --ref two bad
"$PKGNOTE" read --json --ref one bad | norm >got || true
cmp -s want-one got || fail "an image without the bad blob is not still read"
rm -f "$blob"
expect_error "'bad': blob $layer2: missing" "$PKGNOTE" read --ref two bad
head -c 60000 docker.tar >cut.tar
expect_error "'-': " sh -c "\"$PKGNOTE\" read - <cut.tar"
expect_error "'cut.tar': " "$PKGNOTE" read cut.tar
echo ok
