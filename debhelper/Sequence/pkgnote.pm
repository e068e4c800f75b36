#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# debhelper sequence addon "pkgnote" (`dh $@ --with pkgnote`, or Build-Depends:
# dh-sequence-pkgnote): stamps every ELF file the package links with the freedesktop package note.
# dh_pkgnote writes the note file before configure; the linker flag that adds it goes into the
# environment here, because dh runs every command and override target as its child, and
# dh_auto_* hand DEB_LDFLAGS_MAINT_APPEND to the build through dpkg-buildflags.
use strict;
use warnings;
use Debian::Debhelper::Dh_Lib qw(error);

insert_before('dh_auto_configure', 'dh_pkgnote');
# Verification sees the files as they will ship: after dh_dwz and dh_strip (which runs after
# dh_dwz), before the .deb is built.
insert_after('dh_strip', 'dh_pkgnote_verify');
# With DEB_PKGNOTE_STAMP=1, the files the link flags missed get the note after stripping (so the
# debug files keep matching), before verification judges them.
insert_after('dh_strip', 'dh_pkgnote_stamp');

my $flag = `dh_pkgnote --print-ldflags`;
error('dh_pkgnote --print-ldflags failed: is pkgnote\'s debhelper addon installed?') if $? != 0;
chomp($flag);

# A debian/rules that exports LDFLAGS itself (buildflags.mk) bypasses dpkg-buildflags, so the
# flag goes there instead. A nested dh (an override target running dh again) must not add it twice.
my $var = exists $ENV{LDFLAGS} ? 'LDFLAGS' : 'DEB_LDFLAGS_MAINT_APPEND';
if ($flag ne '' && index($ENV{$var} // '', $flag) < 0) {
	$ENV{$var} = join(' ', grep { defined && $_ ne '' } ($ENV{$var}, $flag));
}

1;
