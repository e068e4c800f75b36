# SPDX-License-Identifier: MIT
# Shared by the debhelper-*.sh tests: installs the built pkgnote (tool, dh_pkgnote, the sequence
# addon, pkgnote.mk) into a staging root with cmake --install, and builds the stand-in source
# package with the real dpkg-buildpackage. Sourced after rpmbuild-files/lib.sh.

# Installs the build tree that holds $PKGNOTE into $1/usr and puts it first on PATH and PERL5LIB.
stage_pkgnote() {
  build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
  [ -f "$build/CMakeCache.txt" ] || { echo "skipped: no build tree above $PKGNOTE"; exit 77; }
  DESTDIR=$1 cmake --install "$build" --prefix /usr >/dev/null
  PATH=$1/usr/bin:$PATH
  PERL5LIB=$1/usr/share/perl5${PERL5LIB:+:$PERL5LIB}
  PKGNOTE_STAGE=$1
  export PATH PERL5LIB PKGNOTE_STAGE
}

# Copies the stand-in package to DIR/hello-standin-1.2 with RULES as debian/rules (make syntax,
# \t for tabs) and EXTRA appended to Build-Depends, and builds its binary packages. DEPS=-d (the
# default) skips the build-dependency check, DEPS= keeps it.
build_standin_deb() {
  dir=$1 rules=$2 extra=${3:-} deps=${4--d}
  src=$dir/hello-standin-1.2
  mkdir -p "$dir"
  cp -r "$PKGNOTE_SOURCE_DIR/tests/e2e/debhelper-files/hello-standin" "$src"
  sed "s/@EXTRA_BUILD_DEPENDS@/$extra/" "$src/debian/control.in" > "$src/debian/control"
  rm "$src/debian/control.in"
  printf '#!/usr/bin/make -f\n%b\n' "$rules" > "$src/debian/rules"
  chmod +x "$src/debian/rules"
  # -d: dh-sequence-pkgnote is staged, not installed, so dpkg cannot see it as a build dependency.
  (cd "$src" && dpkg-buildpackage -us -uc -b $deps >"$dir/build.log" 2>&1) || {
    tail -n 40 "$dir/build.log" >&2
    fail "dpkg-buildpackage failed"
  }
}

# The payload every ELF file of the stand-in's .debs must carry with pkgnote's addon.
expected_deb_note() {
  printf '{"type":"deb","name":"hello-standin","version":"1.2-3","architecture":"%s"%s}' \
    "$(dpkg-architecture -qDEB_HOST_ARCH)" "$(expected_os_members)"
}

# Unpacks every .deb in DIR (dpkg-deb -x) into DIR/unpacked and lists its ELF files.
deb_elf_files() {
  for deb in "$1"/*.deb; do
    dpkg-deb -x "$deb" "$1/unpacked"
  done
  find "$1/unpacked" -type f | while read -r f; do
    if is_elf "$f"; then echo "$f"; fi
  done
}

# Checks that every ELF file in DIR's .debs, but the detached debug info, carries exactly the note
# of expected_deb_note (set in $expected), and that there are two: hello and libgreeting.so.1
# (their count is left in $count).
check_standin_debs() {
  expected=$(expected_deb_note)
  count=0
  for f in $(deb_elf_files "$1"); do
    case $f in
      */usr/lib/debug/*) ;; # detached debug info: checked through its stripped binary
      *) check_note "$f" "$expected"; count=$((count + 1)) ;;
    esac
  done
  [ "$count" = 2 ] || fail "$1: expected 2 stamped ELF files (hello, libgreeting.so.1), found $count"
}
