#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes the seed corpus of the xz decoder's fuzz target into DIR (checked in as
# fuzz/seeds/fuzz_xz): the xz tool's output in each form the decoder walks, kept under 4 KiB so
# that one execution stays cheap. Blocks of 1 KiB written by two threads give their sizes in their
# headers (what lets the worker decode ahead); -T1 writes one block without sizes. Dictionaries of
# 64 KiB keep each execution's allocations small.
# Usage: fuzz/make-xz-seeds.sh DIR
set -eu
out=$1
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 3000 "$(dirname "$0")/../README.md" >"$tmp/text"
dict=--lzma2=preset=6,dict=64KiB
xz -T2 --block-size=1KiB "$dict" --check=crc64 -c "$tmp/text" >"$out/blocks-crc64"
xz -T2 --block-size=1KiB "$dict" --check=sha256 -c "$tmp/text" >"$out/blocks-sha256"
xz -T2 --block-size=700 "$dict" --check=none -c "$tmp/text" >"$out/blocks-unequal-none"
xz -T1 "$dict" --check=crc32 -c "$tmp/text" >"$out/single-crc32"
xz -T1 --x86 "$dict" -c "$tmp/text" >"$out/single-x86"
xz -T2 --block-size=1KiB --delta=dist=4 "$dict" -c "$tmp/text" >"$out/blocks-delta"
xz -T1 -c </dev/null >"$out/empty"
head -c 16384 /dev/zero | xz -T2 --block-size=4KiB "$dict" -c >"$out/blocks-zeros"
# Stream padding between and after streams, and an empty stream among them.
{ cat "$out/blocks-crc64"; head -c 4 /dev/zero; cat "$out/single-crc32"; head -c 8 /dev/zero
  cat "$out/empty"; head -c 4 /dev/zero; } >"$out/concatenated-padded"
