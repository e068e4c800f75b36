# SPDX-License-Identifier: MIT
# Shared by the rpmbuild-*.sh and debhelper-*.sh tests: the expected OS fields, reading a note
# with the real readers, and unpacking packages. Sourced; needs $PKGNOTE and $PKGNOTE_SOURCE_DIR.

fail() { echo "FAIL: $*" >&2; exit 1; }

# The JSON members pkgnote's `--os-cpe auto` yields for this build root: osCpe from
# system-release-cpe, else os/osVersion from os-release (read here with the shell, not pkgnote).
expected_os_members() {
  if [ -s /usr/lib/system-release-cpe ]; then
    printf ',"osCpe":"%s"' "$(head -n1 /usr/lib/system-release-cpe)"
    return
  fi
  release=/etc/os-release
  [ -r "$release" ] || release=/usr/lib/os-release
  (
    . "$release"
    printf ',"os":"%s"' "$ID"
    if [ -n "${VERSION_ID:-}" ]; then printf ',"osVersion":"%s"' "$VERSION_ID"; fi
  )
}

# The package note's JSON payload as binutils' readelf decodes it ("" when there is none).
readelf_payload() {
  readelf -n --wide "$1" | sed -n 's/.*Packaging Metadata: //p'
}

# Checks that FILE carries exactly the note with payload JSON: readelf sees it, it lies in a
# PT_NOTE segment (so it is loaded and lands in core dumps), and pkgnote read agrees.
check_note() {
  file=$1 json=$2
  got=$(readelf_payload "$file")
  [ "$got" = "$json" ] || fail "$file: readelf payload '$got', expected '$json'"
  [ "$(readelf -n --wide "$file" | grep -c 'Packaging Metadata:')" = 1 ] || fail "$file: more than one package note"
  readelf -lW "$file" | grep -E '^ +[0-9]+ +.*\.note\.package' >/dev/null || fail "$file: .note.package is in no segment"
  readelf -lW "$file" | awk '$1 == "NOTE" { found = 1 } END { exit !found }' || fail "$file: no PT_NOTE segment"
  read_json=$("$PKGNOTE" read --json "$file") || fail "$file: pkgnote read failed"
  printf '%s' "$read_json" | grep -F "\"package\":$json" >/dev/null || fail "$file: pkgnote read says $read_json, expected package $json"
}

check_no_note() {
  got=$(readelf -n --wide "$1" | grep -c 'FDO' || true)
  [ "$got" = 0 ] || fail "$1: carries a package note, expected none"
}

is_elf() { [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ]; }

# Installs the build tree that holds $PKGNOTE with `cmake --install --prefix /usr` into
# $work/pkgnote-root, once, as pkgnote's packages install it: macros.pkgnote lands in
# $work/pkgnote-root/usr/lib/rpm/macros.d, the tool in usr/bin. Prints the root.
pkgnote_root() {
  root=$work/pkgnote-root
  if [ ! -d "$root" ]; then
    build=$(cd "$(dirname "$PKGNOTE")/.." && pwd)
    [ -f "$build/CMakeCache.txt" ] || fail "no build tree above $PKGNOTE to install"
    DESTDIR=$root cmake --install "$build" --prefix /usr >/dev/null || fail "cmake --install failed"
    [ -f "$root/usr/lib/rpm/macros.d/macros.pkgnote" ] || fail "cmake --install put no macros.pkgnote in usr/lib/rpm/macros.d"
  fi
  printf '%s' "$root"
}

# rpm's own macro path (rpm --showrc) with the installed root's macros.d read where rpm reads
# /usr/lib/rpm/macros.d, after the system's macro files there (an installed macros.pkgnote left
# out), and nothing loaded on top. ORDER debian (the default) keeps the rest as Debian's rpm has
# it; ORDER fedora puts redhat-like.macros where Fedora's rpm reads /usr/lib/rpm/redhat/macros
# (the vendor slot: Debian's rpm reads /usr/lib/rpm/debian/macros there), after the platform file.
pkgnote_macro_path() {
  order=${1:-debian} root=$(pkgnote_root)
  rpm --showrc | sed -n 's/^Macro path: //p' | tr ':' '\n' | while read -r entry; do
    case $entry in
      */macros.d/macros.*)
        for f in $entry; do
          case $f in */macros.pkgnote) ;; *) [ -e "$f" ] && printf '%s:' "$f" ;; esac
        done
        printf '%s:' "$root/usr/lib/rpm/macros.d/macros.*" ;;
      /usr/lib/rpm/debian/macros | /usr/lib/rpm/redhat/macros)
        if [ "$order" = fedora ]; then
          printf '%s:' "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/redhat-like.macros"
        else
          printf '%s:' "$entry"
        fi ;;
      *) printf '%s:' "$entry" ;;
    esac
  done | sed 's/:$//'
}

# The real rpmbuild over the Fedora-ordered macro path (pkgnote_macro_path fedora; PKGNOTE_ORDER
# chooses) with the installed pkgnote as %__pkgnote (it is not in /usr/bin); arguments go to
# rpmbuild. Checks first that one %undefine removes pkgnote's definitions, i.e. that they are read
# once, not stacked.
pkgnote_rpmbuild() {
  macros=$(pkgnote_macro_path "${PKGNOTE_ORDER:-fedora}")
  left=$(rpm --macros "$macros" --eval '%undefine _package_note_file' \
    --eval '%undefine _package_note_flags' --eval '%{?_package_note_file:file}%{?_package_note_flags:flags}')
  [ -z "$left" ] || fail "pkgnote's macros are defined more than once ($left survives one %undefine)"
  rpmbuild --macros "$macros" --define "__pkgnote $(pkgnote_root)/usr/bin/pkgnote" "$@"
}

# Builds the stand-in emulator package (rpmbuild-files/qemu-standin.spec) into TOPDIR with the real
# rpmbuild and pkgnote's macros as installed (pkgnote_rpmbuild); further arguments go to rpmbuild.
build_standin() {
  top=$1
  shift
  files=$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files
  mkdir -p "$top/SOURCES"
  tar -C "$files" -czf "$top/SOURCES/qemu-standin-7.2.5.tar.gz" \
    --transform 's,^qemu-standin,qemu-standin-7.2.5,' qemu-standin
  pkgnote_rpmbuild -bb --nodeps --quiet --define "_topdir $top" "$@" "$files/qemu-standin.spec"
}

# Builds rpmbuild-files/verify-standin.spec (binaries in subpackages, a shared library) into
# $work/NAME with the extra rpmbuild arguments and pkgnote's installed macros (pkgnote_rpmbuild); the build log is
# $work/NAME.log and the exit status is rpmbuild's.
build_verify_standin() {
  name=$1
  shift
  pkgnote_rpmbuild -bb --nodeps --define "_topdir $work/$name" "$@" \
    "$PKGNOTE_SOURCE_DIR/tests/e2e/rpmbuild-files/verify-standin.spec" >"$work/$name.log" 2>&1
}

# Unpacks RPM into DIR with the real rpm2cpio and cpio.
unpack_rpm() { mkdir -p "$2" && (cd "$2" && rpm2cpio "$1" | cpio -idm --quiet); }
