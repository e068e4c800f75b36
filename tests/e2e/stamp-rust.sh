#!/bin/sh
# SPDX-License-Identifier: MIT
# Rust builds get stamped (issue 24): Debian's rustc (1.63) links a program, a static one
# (-C target-feature=+crt-static: a static-pie on x86_64) and a cdylib through cc with each linker
# a Rust build meets here: the default (gcc, GNU ld), -fuse-ld=lld (lld 14), -fuse-ld=mold and
# rust-lld (Debian's rustc ships /usr/bin/rust-lld, which is lld 14; rustc 1.63's own
# `-C linker-flavor=ld.lld -C linker=rust-lld` links without the C start files and library
# paths, so rust-lld is reached through cc as ld.lld, as later rustc versions do themselves), and
# cargo builds a crate. Each one is stamped (exit 0), reads back with exactly the note (readelf's
# payload and `pkgnote read --json`), keeps its build-id (readelf -n before and after), runs
# exactly as before (a cdylib through a C program linked against it), has nothing new for
# `eu-elflint --gnu-ld` and nothing for `readelf -lW` to warn about, and stamped again with a
# longer then the first version it reads back and runs. Linkers that take --package-metadata
# (GNU ld, mold; not lld 14) get it through rustc as -C link-arg=-Xlinker
# -C link-arg=--package-metadata=JSON (-Wl, would split the JSON at its commas, and neither GNU ld
# 2.40 nor mold 1.10 reads the %[comma] escape later GNU ld takes): that note reads
# back, `--if-unstamped` leaves the file byte-identical, and a stamp replaces it by exactly one.
. "$PKGNOTE_SOURCE_DIR/tests/e2e/stamp-helpers.sh"
# Debian's toolchain, not a rustup one that may come first on PATH (install-deps installs these).
RUSTC=/usr/bin/rustc CARGO=/usr/bin/cargo
for tool in "$RUSTC" "$CARGO" /usr/bin/rust-lld; do
  [ -x "$tool" ] || fail "$tool is not installed (scripts/install-deps installs rustc and cargo)"
done
need eu-elflint gcc ld.lld-14 mold

# -B directories in which cc finds ld.lld: lld 14 itself and Debian's rust-lld.
mkdir -p "$T/lld14" "$T/rust-lld"
ln -s "$(command -v ld.lld-14)" "$T/lld14/ld.lld"
ln -s /usr/bin/rust-lld "$T/rust-lld/ld.lld"
"$T/rust-lld/ld.lld" --version | grep -q '^Debian LLD' || fail "rust-lld is not lld: $("$T/rust-lld/ld.lld" --version)"

cat >"$T/prog.rs" <<'RS'
use std::collections::BTreeMap;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut counts = BTreeMap::new();
    for c in args.get(1).map(|s| s.as_str()).unwrap_or("-").chars() {
        *counts.entry(c).or_insert(0u32) += 1;
    }
    println!("rust-stamp {} {:?}", args.len(), counts);
    std::process::exit(3);
}
RS
cat >"$T/lib.rs" <<'RS'
#[no_mangle]
pub extern "C" fn rust_sum(n: u32) -> u64 {
    (1..=n as u64).collect::<Vec<u64>>().iter().sum()
}
RS
cat >"$T/loader.c" <<'C'
#include <stdio.h>
#include <stdint.h>
uint64_t rust_sum(uint32_t);
int main(void) { printf("rust-lib %llu\n", (unsigned long long)rust_sum(10)); return 3; }
C

linker_args() {
  case $1 in
  cc) ;;
  lld14) echo "-C link-arg=-B$T/lld14 -C link-arg=-fuse-ld=lld" ;;
  mold) echo "-C link-arg=-fuse-ld=mold" ;;
  rust-lld) echo "-C link-arg=-B$T/rust-lld -C link-arg=-fuse-ld=lld" ;;
  esac
}
# What .comment says linked it: the check that -fuse-ld reached the linker meant.
linker_comment() {
  case $1 in cc) echo "" ;; lld14 | rust-lld) echo "Linker: Debian LLD 14" ;; mold) echo "mold 1.10" ;; esac
}

# build NAME LINKER KIND [EXTRA...]: $T/in/NAME (a cdylib: $T/in/NAME/librsstamp.so and the
# loader beside it, linked against it with rpath $ORIGIN).
build() {
  name=$1 linker=$2 kind=$3
  shift 3
  mkdir -p "$T/in" "$T/build/$name"
  # shellcheck disable=SC2046
  set -- -O -C codegen-units=1 -C link-arg=-Wl,--build-id=sha1 $(linker_args "$linker") "$@"
  case $kind in
  pie) "$RUSTC" "$@" -o "$T/in/$name" "$T/prog.rs" ;;
  static) "$RUSTC" "$@" -C target-feature=+crt-static -o "$T/in/$name" "$T/prog.rs" ;;
  cdylib)
    mkdir -p "$T/in/$name.d"
    # rustc names the soname after the output file: the name the loader needs.
    "$RUSTC" "$@" --crate-type cdylib --crate-name rsstamp -o "$T/in/$name.d/librsstamp.so" "$T/lib.rs" &&
      cp "$T/in/$name.d/librsstamp.so" "$T/in/$name" &&
      gcc -o "$T/in/$name.d/loader" "$T/loader.c" -L"$T/in/$name.d" -lrsstamp -Wl,-rpath,'$ORIGIN'
    ;;
  esac >"$T/build/$name/log" 2>&1 || fail "$name: rustc link: $(tail -n 5 "$T/build/$name/log")"
  comment=$(linker_comment "$linker")
  if [ -n "$comment" ]; then
    readelf -p .comment "$T/in/$name" | grep -q "$comment" || fail "$name: not linked by $linker"
  else
    ! readelf -p .comment "$T/in/$name" | grep -qE 'LLD|mold' || fail "$name: not linked by GNU ld"
  fi
}

# run_rust NAME FILE: what FILE prints and its exit status (a cdylib through its loader, FILE
# copied beside it as librsstamp.so).
run_rust() {
  status=0
  case $1 in
  *-cdylib*)
    rm -rf "$T/run" && cp -r "$T/in/$1.d" "$T/run" && cp "$2" "$T/run/librsstamp.so"
    "$T/run/loader" >"$T/run.out" 2>&1 || status=$?
    ;;
  *) "$2" hello >"$T/run.out" 2>&1 || status=$? ;;
  esac
  cat "$T/run.out"
  echo "exit $status"
}

# eu-elflint --gnu-ld reports nothing new. mold's one PT_NOTE (8-aligned .note.gnu.property and
# the 4-aligned notes after it) is walked at 8 and derails already in the input ("phdr[2]: extra 96
# bytes after last note"); its part before the cut-out package note still mixes, so the count
# differs: the complaint is the input's, the count is not compared.
rust_elflint_diff() {
  elflint_lines "$2" | sed 's/extra [0-9]* bytes after last note/extra bytes after last note/' | sort -u >"$T/lint.before"
  elflint_lines "$3" | sed 's/extra [0-9]* bytes after last note/extra bytes after last note/' | sort -u >"$T/lint.after"
  new=$(comm -13 "$T/lint.before" "$T/lint.after")
  [ -z "$new" ] || fail "$1: eu-elflint --gnu-ld reports after stamping: $new"
}

count=0
# check NAME [--if-unstamped-first]: the checks above, on a copy of $T/in/NAME.
check() {
  name=$1 in=$T/in/$1 out=$T/out/$1
  mkdir -p "$T/out"
  cp "$in" "$out"
  before=$(run_rust "$name" "$in")
  case $before in
  "rust-stamp 2 {'e': 1, 'h': 1, 'l': 2, 'o': 1}
exit 3" | "rust-lib 55
exit 3") ;;
  *) fail "$name: does not run before stamping: $before" ;;
  esac
  id=$(build_id "$in")
  [ "$id" != none ] || fail "$name: linked without a build-id"
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp --json $(stamp_args "$name") "$out" >"$T/stamp.json" 2>"$T/stamp.err" ||
    fail "$name: stamp exit $?: $(cat "$T/stamp.err")"
  # GNU ld leaves room after the headers (docs/stamp.md, "shift"); lld and mold put read-only data
  # right after them, so the note gets a PT_LOAD of its own ("segment").
  layout=$(sed -n 's/.*"layout":"\([a-z-]*\)".*/\1/p' "$T/stamp.json")
  case $name in
  rust-cc-pie | rust-cc-static | rust-cc-cdylib | rust-cargo-*) want="shift" ;;
  *-metadata) want=$layout ;;
  *) want="segment" ;;
  esac
  [ "$layout" = "$want" ] || fail "$name: stamped in the '$layout' layout, not '$want': $(cat "$T/stamp.json")"
  echo "$name $layout" >>"$T/layouts"
  check_reads "$name" "$out"
  check_layout "$name" "$out"
  [ "$(build_id "$out")" = "$id" ] || fail "$name: build-id $(build_id "$out") after stamping, $id before"
  warnings=$(readelf -lW "$out" 2>&1 >/dev/null) || fail "$name: readelf -lW exit $?"
  [ -z "$warnings" ] || fail "$name: readelf -lW warns: $warnings"
  rust_elflint_diff "$name" "$in" "$out"
  after=$(run_rust "$name" "$out")
  [ "$after" = "$before" ] || fail "$name: ran '$before' before stamping, '$after' after"
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name" | sed 's/--version 1.0-1/--version 1.0-1+a.longer.version.for.rust/') \
    "$out" 2>"$T/stamp.err" || fail "$name: stamp with a longer note exit $?: $(cat "$T/stamp.err")"
  [ "$(note_count "$out")" = 1 ] || fail "$name: $(note_count "$out") notes after the longer stamp"
  # shellcheck disable=SC2046
  "$PKGNOTE" stamp $(stamp_args "$name") "$out" 2>"$T/stamp.err" ||
    fail "$name: stamp with the first note again exit $?: $(cat "$T/stamp.err")"
  check_reads "$name" "$out"
  [ "$(build_id "$out")" = "$id" ] || fail "$name: build-id changed on re-stamping"
  again=$(run_rust "$name" "$out")
  [ "$again" = "$before" ] || fail "$name: ran '$again' after re-stamping"
  count=$((count + 1))
}

for linker in cc lld14 mold rust-lld; do
  for kind in pie static cdylib; do
    build "rust-$linker-$kind" "$linker" "$kind"
    check "rust-$linker-$kind"
  done
done

# --package-metadata through rustc's link-arg, where the linker takes it.
linked='{"type":"deb","name":"rust-linked","version":"0.9"}'
for linker in cc mold; do
  for kind in pie cdylib; do
    name=rust-$linker-$kind-metadata
    build "$name" "$linker" "$kind" -C link-arg=-Xlinker -C "link-arg=--package-metadata=$linked"
    [ "$(note_count "$T/in/$name")" = 1 ] && [ "$(note_json "$T/in/$name")" = "$linked" ] ||
      fail "$name: the linker's note reads '$(note_json "$T/in/$name")'"
    cp "$T/in/$name" "$T/$name.kept"
    # shellcheck disable=SC2046
    "$PKGNOTE" stamp --if-unstamped $(stamp_args "$name") "$T/$name.kept" ||
      fail "$name: stamp --if-unstamped exit $?"
    cmp -s "$T/in/$name" "$T/$name.kept" || fail "$name: --if-unstamped changed a file the linker stamped"
    check "$name"
  done
done

# cargo: a crate with no dependencies, built offline by Debian's cargo with Debian's rustc.
mkdir -p "$T/crate/src"
cat >"$T/crate/Cargo.toml" <<'TOML'
[package]
name = "rsstamp"
version = "0.1.0"
edition = "2021"
TOML
cp "$T/prog.rs" "$T/crate/src/main.rs"
(cd "$T/crate" && CARGO_HOME=$T/cargo-home RUSTC=$RUSTC RUSTFLAGS=-Clink-arg=-Wl,--build-id=sha1 \
  "$CARGO" build --offline --release --quiet) >"$T/cargo.log" 2>&1 || fail "cargo build: $(tail -n 5 "$T/cargo.log")"
cp "$T/crate/target/release/rsstamp" "$T/in/rust-cargo-release"
check rust-cargo-release

[ "$count" = 17 ] || fail "$count Rust builds checked, not 17"
sort "$T/layouts" >&2
echo "ok: $count Rust builds (cc, lld 14, mold, rust-lld x program, static, cdylib; --package-metadata; cargo) stamped, build-id kept, run as before"
