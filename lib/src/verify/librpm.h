// SPDX-License-Identifier: MIT
// librpm, loaded on the first .rpm rather than linked. librpm brings a dozen libraries with it
// (librpmio, lua, sqlite, libgcrypt, popt, ...): linked, the dynamic loader maps and relocates
// them at every start of pkgnote, which doubled the start-up of `pkgnote read FILE` (7.1 ms
// against readelf's 4.0 ms; 3.5 ms without them). Loaded with dlopen(3) when verify meets its
// first .rpm, they cost nothing elsewhere. The functions keep librpm's own declarations
// (decltype of the headers' prototypes), so a changed signature fails to compile.
#pragma once

#include "llvm/Support/Error.h"

#include <rpm/header.h>
#include <rpm/rpmio.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmts.h>

namespace pkgnote::detail {

struct LibRpm {
  decltype(&::Fopen) fopen;
  decltype(&::Fread) fread;
  decltype(&::Fclose) fclose;
  decltype(&::Ferror) ferror;
  decltype(&::Fstrerror) fstrerror;
  decltype(&::rpmtsCreate) tsCreate;
  decltype(&::rpmtsFree) tsFree;
  decltype(&::rpmtsSetVSFlags) tsSetVSFlags;
  decltype(&::rpmReadPackageFile) readPackageFile;
  decltype(&::headerGetString) headerGetString;
  decltype(&::headerFree) headerFree;
  decltype(&::rpmlogSetCallback) logSetCallback;
  decltype(&::rpmlogRecMessage) logRecMessage;
};

// librpm (PKGNOTE_LIBRPM_SONAME, found when pkgnote was configured), loaded once per process;
// an error names the library and dlerror()'s reason. PATH names the package in the message.
llvm::Expected<const LibRpm *> loadLibRpm(const std::string &path);

} // namespace pkgnote::detail
