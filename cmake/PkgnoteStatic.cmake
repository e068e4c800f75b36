# SPDX-License-Identifier: MIT
# PKGNOTE_STATIC: a fully static pkgnote, so that one binary runs in any build root (a foreign
# distribution's chroot, a qemu-user sysroot) without its libstdc++, glibc or LLVM. LLVM's exported
# targets name shared system libraries by path (libz.so, libtinfo.so, libz3.so), which a -static
# link refuses, so they are swapped for the static archives; z3 is dropped, since only LLVM's SMT
# solver (never linked in by Object or Support users) calls it.
#
# The default build swaps libtinfo too when its archive is there (Debian's libncurses-dev, which
# llvm-14-dev pulls in): LLVM Support's one use of it (terminal colours) is not worth loading a
# shared library at every start of a one-file `pkgnote read`.

# Points TARGET at lib<NAME>.a; the rest of the arguments name the package that has it. Without
# the archive: an error for PKGNOTE_STATIC, the shared library otherwise.
function(pkgnote_use_static_archive target name)
  if(NOT TARGET ${target})
    return()
  endif()
  find_library(PKGNOTE_STATIC_${name} NAMES lib${name}.a)
  if(NOT PKGNOTE_STATIC_${name} AND NOT PKGNOTE_STATIC)
    return()
  endif()
  if(NOT PKGNOTE_STATIC_${name})
    message(FATAL_ERROR "PKGNOTE_STATIC needs lib${name}.a (Debian: ${ARGN})")
  endif()
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${PKGNOTE_STATIC_${name}}")
  foreach(config RELEASE RELWITHDEBINFO DEBUG MINSIZEREL NOCONFIG)
    get_target_property(location ${target} IMPORTED_LOCATION_${config})
    if(location)
      set_target_properties(${target} PROPERTIES IMPORTED_LOCATION_${config} "${PKGNOTE_STATIC_${name}}")
    endif()
  endforeach()
endfunction()

pkgnote_use_static_archive(Terminfo::terminfo tinfo libncurses-dev)

# libarchive's archive, and those of the compression libraries that the raw format and its zstd,
# xz, lz4 and gzip filters call, in every build where Debian's archives are there (as for tinfo):
# the shared libarchive loads libxml2, ICU (30 MB of data, and a shared libstdc++), nettle and acl
# at every start, for formats pkgnote never reads. Only PKGNOTE_STATIC requires the archives.
# bzip2: `pkgnote verify` reads data.tar.bz2 members and bzip2 rpm payloads.
set(pkgnote_archive_libs "")
foreach(dep archive:libarchive-dev zstd:libzstd-dev lzma:liblzma-dev lz4:liblz4-dev bz2:libbz2-dev
            z:zlib1g-dev)
  string(REPLACE ":" ";" dep "${dep}")
  list(GET dep 0 name)
  list(GET dep 1 package)
  find_library(PKGNOTE_STATIC_${name} NAMES lib${name}.a)
  if(NOT PKGNOTE_STATIC_${name} AND PKGNOTE_STATIC)
    message(FATAL_ERROR "PKGNOTE_STATIC needs lib${name}.a (Debian: ${package})")
  endif()
  list(APPEND pkgnote_archive_libs "${PKGNOTE_STATIC_${name}}")
endforeach()
if(NOT pkgnote_archive_libs MATCHES "NOTFOUND")
  list(POP_FRONT pkgnote_archive_libs pkgnote_libarchive_archive)
  set_target_properties(LibArchive::LibArchive PROPERTIES
    IMPORTED_LOCATION "${pkgnote_libarchive_archive}"
    INTERFACE_LINK_LIBRARIES "${pkgnote_archive_libs}")
endif()
# pkgnote's own xz decoder links the same liblzma as libarchive: its archive when that is used.
pkgnote_use_static_archive(LibLZMA::LibLZMA lzma liblzma-dev)
if(NOT PKGNOTE_STATIC)
  return()
endif()
pkgnote_use_static_archive(ZLIB::ZLIB z zlib1g-dev)

get_target_property(pkgnote_support_libs LLVMSupport INTERFACE_LINK_LIBRARIES)
list(FILTER pkgnote_support_libs EXCLUDE REGEX "libz3\\.so")
set_target_properties(LLVMSupport PROPERTIES INTERFACE_LINK_LIBRARIES "${pkgnote_support_libs}")

