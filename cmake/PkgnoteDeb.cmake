# SPDX-License-Identifier: MIT
# Debian packages: `cpack -G DEB` in a build tree writes one .deb per install component:
#   pkgnote             the tool, its man pages and bash completion (tool)
#   dh-pkgnote          the debhelper addon; Provides: dh-sequence-pkgnote (debhelper)
#   pkgnote-rpm-macros  macros.pkgnote for Debian's rpm (rpm-macros)
#   libpkgnote-dev      headers, static library, CMake package and pkgnote.pc (devel)
# Run-time dependencies of the binaries are computed by dpkg-shlibdeps; each package carries the
# machine-readable copyright file (DEP-5) and changelog.Debian.gz in /usr/share/doc/PACKAGE,
# installed only when packaging (EXCLUDE_FROM_ALL), so that `cmake --install` and the RPM do not
# get four copies. PKGNOTE_MAINTAINER names the maintainer.
set(CPACK_PACKAGE_NAME pkgnote)
set(CPACK_PACKAGE_VENDOR "the pkgnote authors")
# The Maintainer field and the changelog's signature. Default: the packager, as dch finds them
# ($DEBFULLNAME and $DEBEMAIL or $EMAIL), else the source tree's git identity.
set(pkgnote_maintainer "")
if(DEFINED ENV{DEBEMAIL} OR DEFINED ENV{EMAIL})
  set(pkgnote_mail "$ENV{DEBEMAIL}")
  if(NOT pkgnote_mail)
    set(pkgnote_mail "$ENV{EMAIL}")
  endif()
  if(pkgnote_mail MATCHES "<")
    set(pkgnote_maintainer "${pkgnote_mail}")
  elseif(DEFINED ENV{DEBFULLNAME})
    set(pkgnote_maintainer "$ENV{DEBFULLNAME} <${pkgnote_mail}>")
  endif()
endif()
find_program(PKGNOTE_GIT git)
if(NOT pkgnote_maintainer AND PKGNOTE_GIT AND EXISTS ${PROJECT_SOURCE_DIR}/.git)
  execute_process(COMMAND ${PKGNOTE_GIT} -C ${PROJECT_SOURCE_DIR} config user.name
                  OUTPUT_VARIABLE pkgnote_git_name OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND ${PKGNOTE_GIT} -C ${PROJECT_SOURCE_DIR} config user.email
                  OUTPUT_VARIABLE pkgnote_git_mail OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(pkgnote_git_name AND pkgnote_git_mail)
    set(pkgnote_maintainer "${pkgnote_git_name} <${pkgnote_git_mail}>")
  endif()
endif()
set(PKGNOTE_MAINTAINER "${pkgnote_maintainer}" CACHE STRING
    "Maintainer of the .debs and signer of their changelog: \"Name <address>\"")
if(NOT PKGNOTE_MAINTAINER MATCHES "^[^<>]+ <[^<>@ ]+@[^<>@ ]+\\.[^<>@ ]+>$")
  message(WARNING "PKGNOTE_MAINTAINER is \"${PKGNOTE_MAINTAINER}\", not \"Name <address>\": "
                  "the .debs cpack writes need -DPKGNOTE_MAINTAINER=\"Name <address>\" "
                  "(or DEBFULLNAME and DEBEMAIL, or git's user.name and user.email)")
endif()
set(CPACK_PACKAGE_CONTACT "${PKGNOTE_MAINTAINER}")
# Each package's description is its synopsis line, then its extended description; cpack indents
# the latter itself, and takes the synopsis from the first line only while
# CPACK_PACKAGE_DESCRIPTION_SUMMARY keeps its default (else every package would get that one).
# Verbatim: the quotes in a description reach the control file as they are.
set(CPACK_VERBATIM_VARIABLES ON)
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
(.note.package, owner FDO, type 0xcafe1a7e) in the forms toolchains take
(GNU ld and lld scripts, a linker flag, gcc specs, raw note bytes), and reads
it back from executables, shared objects, core files and packages.")

# `pkgnote verify` loads librpm with dlopen on the first .rpm, which dpkg-shlibdeps cannot see:
# librpm.so.9 is in Debian's librpm9.
if(PKGNOTE_LIBRPM_SONAME MATCHES "^librpm\\.so\\.([0-9]+)$")
  set(CPACK_DEBIAN_TOOL_PACKAGE_RECOMMENDS "librpm${CMAKE_MATCH_1}")
endif()
# libarchive, the decompression libraries (liblzma, zlib, libzstd, liblz4, libbz2, ISA-L),
# libcrypto, liburing and tinfo are loaded with dlopen too (lib/src/*/lib*_loader.cpp), but
# compressed inputs, packages, images, tree reads and LLVM's colours need them: Depends, by the
# package that ships each (dpkg-shlibdeps adds the linked ones).
set(pkgnote_dlopened "")
foreach(library ${LibArchive_LIBRARY} ${LIBLZMA_LIBRARY} ${PKGNOTE_z_LIBRARY} ${PKGNOTE_zstd_LIBRARY}
                ${PKGNOTE_lz4_LIBRARY} ${PKGNOTE_bz2_LIBRARY} ${PKGNOTE_ISAL_LIBRARY}
                ${OPENSSL_CRYPTO_LIBRARY} ${PKGNOTE_LIBURING} ${PKGNOTE_LIBTINFO})
  if(PKGNOTE_STATIC OR NOT library MATCHES "\\.so")
    continue()
  endif()
  get_filename_component(library "${library}" REALPATH)
  # With merged /usr, dpkg may know the file under /lib rather than /usr/lib.
  string(REGEX REPLACE "^/usr/" "/" unmerged "${library}")
  execute_process(COMMAND dpkg-query -S "${library}" OUTPUT_VARIABLE owner ERROR_QUIET
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    execute_process(COMMAND dpkg-query -S "${unmerged}" OUTPUT_VARIABLE owner ERROR_QUIET
                    RESULT_VARIABLE status)
  endif()
  if(status EQUAL 0 AND owner MATCHES "^([^:,]+)")
    list(APPEND pkgnote_dlopened "${CMAKE_MATCH_1}")
  endif()
endforeach()
string(REPLACE ";" ", " CPACK_DEBIAN_TOOL_PACKAGE_DEPENDS "${pkgnote_dlopened}")

set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_NAME pkgnote-rpm-macros)
set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_DEPENDS "pkgnote (= ${pkgnote_deb_version})")
set(CPACK_DEBIAN_RPM-MACROS_PACKAGE_ENHANCES rpm)
set(CPACK_DEBIAN_RPM-MACROS_DESCRIPTION "rpm macros that stamp every link of an rpm build with its package note
The %_package_note_* macros with redhat-rpm-config's names and behaviour:
%{build_ldflags} gains the flag that links the note into every binary.")

set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME libpkgnote-dev)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS "llvm-14-dev, nlohmann-json3-dev, liburing-dev, libarchive-dev, liblzma-dev, liblz4-dev, libbz2-dev, libzstd-dev, zlib1g-dev, libssl-dev")
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

# changelog.Debian.gz, gzipped reproducibly (-n); its date is $SOURCE_DATE_EPOCH's when set.
string(TIMESTAMP pkgnote_changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
find_program(PKGNOTE_GZIP gzip REQUIRED)
# Each package's lintian overrides, each with its reason (cmake/lintian-overrides.in).
foreach(component ${CPACK_COMPONENTS_ALL})
  string(TOUPPER ${component} upper)
  set(package ${CPACK_DEBIAN_${upper}_PACKAGE_NAME})
  set(doc ${PROJECT_BINARY_DIR}/deb-copyright/${package})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/lintian-overrides.in ${doc}/${package} @ONLY)
  install(FILES ${doc}/${package} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides
          COMPONENT ${component} EXCLUDE_FROM_ALL)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/copyright.in ${doc}/copyright @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/changelog.Debian.in ${doc}/changelog.Debian @ONLY)
  execute_process(COMMAND ${PKGNOTE_GZIP} -9nc ${doc}/changelog.Debian
                  OUTPUT_FILE ${doc}/changelog.Debian.gz COMMAND_ERROR_IS_FATAL ANY)
  install(FILES ${doc}/copyright ${doc}/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

# Packages have man pages: without them (-DPKGNOTE_MAN_PAGES=OFF) cpack refuses.
if(NOT PKGNOTE_MAN_PAGES)
  set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/cmake/PkgnoteNoManPages.cmake)
endif()

include(CPack)
