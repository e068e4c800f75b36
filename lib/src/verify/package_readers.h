// SPDX-License-Identifier: MIT
// The three kinds of input verify reads, each handing its files to a PackageChecker: a .deb
// (libarchive's ar, then control.tar.* and data.tar.* read as nested archives from the outer
// member), an .rpm (librpm for the header, libarchive for the payload from the same descriptor),
// and a directory (walked like `read --recursive`).
#pragma once

#include "verify/package_checker.h"

#include "llvm/Support/Error.h"

#include <string>

namespace pkgnote::detail {

enum class PackageKind { Rpm, Deb, Directory, ElfFile, Other };

// Recognised by content: rpm's lead magic, ar's magic followed by debian-binary, a directory.
llvm::Expected<PackageKind> identifyPackage(const std::string &path);

// Each reads PATH in one forward pass; an error ends that package (the files met before it are
// counted and reported).
llvm::Error verifyDeb(const std::string &path, PackageChecker &checker);
llvm::Error verifyRpm(const std::string &path, PackageChecker &checker);
llvm::Error verifyDirectory(const std::string &path, PackageChecker &checker, unsigned jobs);
// One ELF file, checked against the metadata options under PATH as given.
llvm::Error verifyElfFile(const std::string &path, PackageChecker &checker);

} // namespace pkgnote::detail
