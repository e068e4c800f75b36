# SPDX-License-Identifier: MIT
# Debian packages: `cpack -G DEB` in a build tree writes one .deb per install component:
#   pkgnote             the tool, its man pages and bash completion (tool)
#   dh-pkgnote          the debhelper addon; Provides: dh-sequence-pkgnote (debhelper)
#   pkgnote-rpm-macros  macros.pkgnote for Debian's rpm (rpm-macros)
#   libpkgnote-dev      headers, static library, CMake package and pkgnote.pc (devel)
# Run-time dependencies of the binaries are computed by dpkg-shlibdeps; each package carries the
# machine-readable copyright file (DEP-5) in /usr/share/doc/PACKAGE/copyright, installed only
# when packaging (EXCLUDE_FROM_ALL), so that `cmake --install` and the RPM do not get four copies.
set(CPACK_PACKAGE_NAME pkgnote)
set(CPACK_PACKAGE_VENDOR "the pkgnote authors")
set(CPACK_PACKAGE_CONTACT "pkgnote developers <pkgnote@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "stamp ELF binaries with the freedesktop package note and read it back")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://systemd.io/ELF_PACKAGE_METADATA/")
set(pkgnote_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

set(CPACK_COMPONENTS_ALL tool rpm-macros devel)
set(CPACK_DEBIAN_TOOL_PACKAGE_NAME pkgnote)
set(CPACK_DEBIAN_TOOL_DESCRIPTION "stamp ELF binaries with the freedesktop package note
 pkgnote writes the freedesktop \"Package Metadata for Executable Files\" note
 (.note.package, owner FDO, type 0xcafe1a7e) in the forms toolchains take (GNU ld
 and lld scripts, a linker flag, gcc specs, raw note bytes), and reads it back
 from executables, shared objects and core files.")

# `pkgnote verify` loads librpm with dlopen on the first .rpm, which dpkg-shlibdeps cannot see:
# librpm.so.9 is in Debian's librpm9.
if(PKGNOTE_LIBRPM_SONAME MATCHES "^librpm\\.so\\.([0-9]+)$")
  set(CPACK_DEBIAN_TOOL_PACKAGE_RECOMMENDS "librpm${CMAKE_MATCH_1}")
endif()

set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_NAME pkgnote-rpm-macros)
set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_DEPENDS "pkgnote (= ${pkgnote_deb_version})")
set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_ENHANCES rpm)
set(CPACK_DEBIAN_RPM-MACROS_DESCRIPTION "rpm macros that stamp every link of an rpm build with its package note
 The %_package_note_* macros with redhat-rpm-config's names and behaviour:
 %{build_ldflags} gains the flag that links the note into every binary.")

set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME libpkgnote-dev)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS "llvm-14-dev, nlohmann-json3-dev, liburing-dev, libarchive-dev, liblzma-dev, liblz4-dev, libbz2-dev")
set(CPACK_DEBIAN_DEVEL_DESCRIPTION "libpkgnote: the library behind pkgnote (static)
 Headers, the static library, the CMake package (find_package(pkgnote)) and the
 pkg-config file (pkgnote.pc) of libpkgnote.")

if(PKGNOTE_INSTALL_DEBHELPER)
  list(APPEND CPACK_COMPONENTS_ALL debhelper)
  set(CPACK_DEBIAN_DEBHELPER_PACKAGE_NAME dh-pkgnote)
  set(CPACK_DEBIAN_DEBHELPER_PACKAGE_ARCHITECTURE all)
  set(CPACK_DEBIAN_DEBHELPER_PACKAGE_DEPENDS "pkgnote (= ${pkgnote_deb_version}), debhelper (>= 13)")
  set(CPACK_DEBIAN_DEBHELPER_PACKAGE_PROVIDES dh-sequence-pkgnote)
  set(CPACK_DEBIAN_DEBHELPER_DESCRIPTION "debhelper addon that stamps a package's ELF files with the package note
 Build-Depends: dh-sequence-pkgnote (or dh $@ --with pkgnote) runs dh_pkgnote,
 which writes the note, and adds the linker flag that links it into every
 executable and shared library the package builds.")
endif()

foreach(component ${CPACK_COMPONENTS_ALL})
  string(TOUPPER ${component} upper)
  set(package ${CPACK_DEBIAN_${upper}_PACKAGE_NAME})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/copyright.in
                 ${PROJECT_BINARY_DIR}/deb-copyright/${package}/copyright @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/deb-copyright/${package}/copyright
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

include(CPack)
