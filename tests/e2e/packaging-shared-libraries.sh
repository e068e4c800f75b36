#!/bin/sh
# SPDX-License-Identifier: MIT
# The distribution build of pkgnote (the default one, which cpack and the spec package) carries no
# copy of a system library: readelf -d lists the shared ones it links (libc and libm), the ones it
# loads on first use are installed under the sonames it names, and no
# zlib, bzip2, liblzma, zstd, lz4, libarchive, ncurses or liburing code is defined in it (nm). A
# one-file `pkgnote read` of a plain ELF file maps no archive or compression library (LD_DEBUG=files
# lists what the loader opens); a .gz loads ISA-L (or zlib) and no libarchive, a .xz liblzma, from
# the system, on demand; and when they cannot be loaded the input gets the one-line error, exit 2, and
# the other inputs are still read. Skipped for a PKGNOTE_STATIC build (packaging-static-build
# covers it).
set -eu
. "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/lib.sh"
command -v gzip >/dev/null && command -v xz >/dev/null && command -v nm >/dev/null || exit 77
readelf -d "$PKGNOTE" | grep -q '(NEEDED)' || { echo "skipped: $PKGNOTE is static"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

needed=$(readelf -d "$PKGNOTE" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
# libc, libm and the loader; libz for LLVM's compression, when linked in. Anything else at every
# start costs the one-file read its 1.2x-readelf target: libarchive, liblzma, liburing and
# libtinfo are loaded on first use (lib/src/*/lib*_loader.cpp), and named in the binary.
for lib in $needed; do
  case $lib in
    libc.so.* | libm.so.* | ld-linux*.so.* | libz.so.*) ;;
    *) fail "pkgnote links $lib (readelf -d: $needed): load it on first use instead" ;;
  esac
done
if ldd "$PKGNOTE" | grep 'not found'; then fail "ldd cannot resolve a library"; fi
for lib in archive lzma z zstd lz4 bz2 crypto uring tinfo; do
  soname=$(strings "$PKGNOTE" | grep -Ex "lib$lib\.so\.[0-9.]+" | head -1)
  [ -n "$soname" ] || fail "pkgnote names no lib$lib soname to load"
  ldconfig -p | grep -q "^[[:space:]]*$soname " || fail "$soname, which pkgnote loads, is not installed"
done

# Functions only a static copy of each library defines (the loaders forward a few others, inflate
# and BZ2_bzDecompress among them).
copies=$(nm --defined-only "$PKGNOTE" 2>/dev/null | awk '{ print $NF }' |
  grep -E '^(deflate|zlibVersion|BZ2_bzCompress|lzma_crc64|lzma_stream_decoder|ZSTD_compressStream|LZ4_decompress_safe|isal_deflate|SHA256_Update|archive_read_support_format_iso9660|_nc_[a-z_]+|io_uring_setup)$' |
  sort -u | tr '\n' ' ')
[ -z "$copies" ] || fail "static copies of system libraries in pkgnote: $copies"

cp /usr/bin/true "$T/plain"
gzip -c "$T/plain" >"$T/plain.gz"
xz -c "$T/plain" >"$T/plain.xz"
maps() { LD_DEBUG=files "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\).*generating link map/\1/p' | sort -u | tr '\n' ' '; }
plain=$(maps "$PKGNOTE" read "$T/plain")
for lib in $plain; do
  case $lib in
    libarchive* | liblzma* | libzstd* | liblz4* | libbz2* | libz.* | libxml2* | libicu* | liburing* | librpm* | libtinfo*)
      fail "pkgnote read of a plain ELF file loads $lib (it loads: $plain)" ;;
  esac
done
compressed=$(maps "$PKGNOTE" read "$T/plain.gz" "$T/plain.xz")
printf '%s' "$compressed" | grep -Eq 'libisal\.so|libz\.so' || fail "a .gz did not load ISA-L or zlib: $compressed"
printf '%s' "$compressed" | grep -q 'libarchive\.so' && fail "a .gz loaded libarchive: $compressed"
printf '%s' "$compressed" | grep -q 'liblzma\.so' || fail "a .xz did not load liblzma: $compressed"
# The same build id as readelf reads from the uncompressed file.
id=$(readelf -n "$T/plain" | sed -n 's/.*Build ID: //p')
for f in plain.gz plain.xz; do
  "$PKGNOTE" read --json "$T/$f" | grep -q "\"buildId\":\"$id\"" || fail "$f: build id $id not read"
done

# Unloadable libraries (empty files found first through LD_LIBRARY_PATH): one line per input.
mkdir "$T/broken"
: >"$T/broken/$(strings "$PKGNOTE" | grep -Ex 'libisal\.so\.[0-9]+' | head -1)"
: >"$T/broken/$(strings "$PKGNOTE" | grep -Ex 'libz\.so\.[0-9]+' | head -1)"
: >"$T/broken/$(strings "$PKGNOTE" | grep -Ex 'liblzma\.so\.[0-9]+' | head -1)"
status=0
LD_LIBRARY_PATH=$T/broken "$PKGNOTE" read "$T/plain.gz" "$T/plain" "$T/plain.xz" >"$T/out" 2>"$T/err" || status=$?
[ "$status" = 2 ] || fail "exit $status with ISA-L and zlib unloadable, expected 2: $(cat "$T/err")"
grep -q "^pkgnote: error: '$T/plain.gz': .*cannot load libz\.so\.[0-9]* .*file too short\$" "$T/err" ||
  fail "no one-line error for plain.gz: $(cat "$T/err")"
grep -q "^pkgnote: error: '$T/plain.xz': .*cannot load liblzma\.so\.[0-9]* .*file too short\$" "$T/err" ||
  fail "no one-line error for plain.xz: $(cat "$T/err")"
grep -q "^path: *$T/plain\$" "$T/out" || fail "the plain file was not read beside the failures"
echo "ok: NEEDED $needed; a plain read loads $plain; compressed inputs load their decoders on demand"
