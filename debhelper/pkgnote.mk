# SPDX-License-Identifier: MIT
# pkgnote.mk: include from debian/rules to stamp every ELF file the package links with the
# freedesktop package note, without the dh sequence addon (e.g. a debian/rules that does not use
# dh). It writes the note file when the makefile is read (except for `clean`) and appends the
# linker flag to DEB_LDFLAGS_MAINT_APPEND, which dpkg-buildflags (and buildflags.mk) pick up, so
# include it before /usr/share/dpkg/buildflags.mk. See dh_pkgnote(1) for the contents and
# DEB_PKGNOTE_LINKER.

ifeq (,$(DEB_PKGNOTE_DISABLE))
PKGNOTE_LDFLAGS := $(shell dh_pkgnote --print-ldflags)
ifneq (0,$(.SHELLSTATUS))
$(error pkgnote.mk: dh_pkgnote --print-ldflags failed)
endif
ifeq (,$(filter clean,$(MAKECMDGOALS)))
$(shell dh_pkgnote >&2)
ifneq (0,$(.SHELLSTATUS))
$(error pkgnote.mk: dh_pkgnote could not write the package note)
endif
endif
# Exported so that the dh addon, if also enabled, sees the flag and does not add it again.
export DEB_LDFLAGS_MAINT_APPEND += $(PKGNOTE_LDFLAGS)
endif
