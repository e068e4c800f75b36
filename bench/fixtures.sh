# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Inputs the benchmarks share, sourced (`. bench/fixtures.sh`) from the source tree's root with
# $T set to the benchmark's scratch directory.

# build_hog: $T/hog, the stamped process of bench/hog-compressible.c.
build_hog() {
  gcc -O2 bench/hog-compressible.c -o "$T/hog" \
    -Xlinker '--package-metadata={"type":"deb","name":"hog","version":"1"}'
}

# build_image_layouts LAYER1 LAYER2: an OCI layout $T/lay of two gzip layers made from the two
# directories (umoci), and the same image with zstd layers in $T/zlay (skopeo).
build_image_layouts() {
  umoci init --layout "$T/lay"
  umoci new --image "$T/lay:img"
  umoci insert --rootless --no-history --image "$T/lay:img" "$1" "$1" >/dev/null
  umoci insert --rootless --no-history --image "$T/lay:img" "$2" "$2" >/dev/null
  skopeo copy --quiet --dest-compress-format zstd "oci:$T/lay:img" "oci:$T/zlay:img"
}

# layers LAYOUT: its layer blobs, bottom first.
layers() {
  m=$(jq -r '.manifests[0].digest' "$1/index.json" | cut -d: -f2)
  jq -r '.layers[].digest' "$1/blobs/sha256/$m" | sed "s|sha256:|$1/blobs/sha256/|"
}
