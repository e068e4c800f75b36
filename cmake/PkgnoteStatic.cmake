# SPDX-License-Identifier: MIT
# Which system libraries are linked, and how.
#
# A distribution build (the default, cpack, spec/pkgnote.spec) uses the shared system libraries,
# as Debian policy and Fedora's guidelines require (a security fix to zlib reaches pkgnote by
# updating zlib): zlib as DT_NEEDED when LLVM's compression is linked in; libarchive, liblzma,
# liburing and tinfo with dlopen on first use (lib/src/*/lib*_loader.cpp), since Debian's shared
# libarchive maps libxml2, ICU (30 MB of data, a shared libstdc++), nettle and acl, and every
# library mapped costs every start of a one-file `pkgnote read`, which calls none of them.
# libarchive's compressors (zstd, lz4, bzip2, zlib) come with it. LLVM's component libraries stay
# static: llvm-14-dev ships them for that, and libLLVM-14.so costs every start (docs/packaging.md
# has the figures).
#
# PKGNOTE_STATIC: a fully static pkgnote, so that one binary runs in any build root (a foreign
# distribution's chroot, a qemu-user sysroot) without its libstdc++, glibc or LLVM. LLVM's exported
# targets name shared system libraries by path (libz.so, libtinfo.so, libz3.so), which a -static
# link refuses, so they are swapped for the static archives.
# z3 is dropped in every build: only LLVM's SMT solver, never linked in by Object or Support users,
# calls it, and a shared libz3 would be loaded at every start.
get_target_property(pkgnote_support_libs LLVMSupport INTERFACE_LINK_LIBRARIES)
list(FILTER pkgnote_support_libs EXCLUDE REGEX "libz3\\.so")
set_target_properties(LLVMSupport PROPERTIES INTERFACE_LINK_LIBRARIES "${pkgnote_support_libs}")

# The soname a loader dlopens (lib/src/io/*_loader.cpp), read from the library CMake found.
function(pkgnote_soname variable library)
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${library} OUTPUT_VARIABLE dynamic)
  string(REGEX MATCH "SONAME +([^\n]+)" soname "${dynamic}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "cannot read the soname of ${library}")
  endif()
  set(${variable} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

if(NOT PKGNOTE_STATIC)
  pkgnote_soname(PKGNOTE_LIBARCHIVE_SONAME "${LibArchive_LIBRARY}")
  pkgnote_soname(PKGNOTE_LIBLZMA_SONAME "${LIBLZMA_LIBRARY}")
  foreach(codec z zstd lz4 bz2)
    string(TOUPPER ${codec} upper)
    pkgnote_soname(PKGNOTE_LIB${upper}_SONAME "${PKGNOTE_${codec}_LIBRARY}")
  endforeach()
  pkgnote_soname(PKGNOTE_LIBCRYPTO_SONAME "${OPENSSL_CRYPTO_LIBRARY}")
  if(PKGNOTE_ISAL_INCLUDE AND PKGNOTE_ISAL_LIBRARY)
    pkgnote_soname(PKGNOTE_LIBISAL_SONAME "${PKGNOTE_ISAL_LIBRARY}")
  endif()
  if(PKGNOTE_LIBURING)
    pkgnote_soname(PKGNOTE_LIBURING_SONAME "${PKGNOTE_LIBURING}")
  endif()
  # LLVM Support's terminfo calls go to lib/src/support/libtinfo_loader.cpp instead.
  if(TARGET Terminfo::terminfo)
    get_target_property(PKGNOTE_LIBTINFO Terminfo::terminfo IMPORTED_LOCATION)
    pkgnote_soname(PKGNOTE_LIBTINFO_SONAME "${PKGNOTE_LIBTINFO}")
    get_target_property(pkgnote_support_libs LLVMSupport INTERFACE_LINK_LIBRARIES)
    list(REMOVE_ITEM pkgnote_support_libs Terminfo::terminfo)
    set_target_properties(LLVMSupport PROPERTIES INTERFACE_LINK_LIBRARIES "${pkgnote_support_libs}")
  endif()
  return()
endif()

# Points TARGET at lib<NAME>.a; the rest of the arguments name the package that has it.
function(pkgnote_use_static_archive target name)
  if(NOT TARGET ${target})
    return()
  endif()
  find_library(PKGNOTE_STATIC_${name} NAMES lib${name}.a)
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
# xz, lz4, gzip and bzip2 filters call.
set(pkgnote_archive_libs "")
foreach(dep archive:libarchive-dev zstd:libzstd-dev lzma:liblzma-dev lz4:liblz4-dev bz2:libbz2-dev
            z:zlib1g-dev)
  string(REPLACE ":" ";" dep "${dep}")
  list(GET dep 0 name)
  list(GET dep 1 package)
  find_library(PKGNOTE_STATIC_${name} NAMES lib${name}.a)
  if(NOT PKGNOTE_STATIC_${name})
    message(FATAL_ERROR "PKGNOTE_STATIC needs lib${name}.a (Debian: ${package})")
  endif()
  list(APPEND pkgnote_archive_libs "${PKGNOTE_STATIC_${name}}")
endforeach()
list(POP_FRONT pkgnote_archive_libs pkgnote_libarchive_archive)
set_target_properties(LibArchive::LibArchive PROPERTIES
  IMPORTED_LOCATION "${pkgnote_libarchive_archive}"
  INTERFACE_LINK_LIBRARIES "${pkgnote_archive_libs}")
# pkgnote's own xz decoder links the same liblzma as libarchive.
pkgnote_use_static_archive(LibLZMA::LibLZMA lzma liblzma-dev)
pkgnote_use_static_archive(ZLIB::ZLIB z zlib1g-dev)

