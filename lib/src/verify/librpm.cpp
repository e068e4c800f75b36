// SPDX-License-Identifier: MIT
// loadLibRpm (librpm.h): dlopen once, then dlsym each function librpm's reader needs.
#include "verify/librpm.h"

#include "io/byte_source.h"

#include <dlfcn.h>

namespace pkgnote::detail {
namespace {

struct Loaded {
  LibRpm functions{};
  std::string error; // empty when every function was found
};

template <class Function> bool bind(void *library, const char *name, Function &out) {
  out = reinterpret_cast<Function>(dlsym(library, name));
  return out != nullptr;
}

Loaded load() {
  Loaded loaded;
  // RTLD_LOCAL: librpm's symbols (and its libraries') stay out of the global namespace.
  void *library = dlopen(PKGNOTE_LIBRPM_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    loaded.error = std::string("cannot load " PKGNOTE_LIBRPM_SONAME " to read rpm headers: ") +
                   (reason ? reason : "unknown error");
    return loaded;
  }
  LibRpm &f = loaded.functions;
  const char *missing = nullptr;
  auto need = [&](const char *name, auto &out) {
    if (!missing && !bind(library, name, out))
      missing = name;
  };
  need("Fopen", f.fopen);
  need("Fread", f.fread);
  need("Fclose", f.fclose);
  need("Ferror", f.ferror);
  need("Fstrerror", f.fstrerror);
  need("rpmtsCreate", f.tsCreate);
  need("rpmtsFree", f.tsFree);
  need("rpmtsSetVSFlags", f.tsSetVSFlags);
  need("rpmReadPackageFile", f.readPackageFile);
  need("headerGetString", f.headerGetString);
  need("headerFree", f.headerFree);
  need("rpmlogSetCallback", f.logSetCallback);
  need("rpmlogRecMessage", f.logRecMessage);
  if (missing)
    loaded.error = std::string(PKGNOTE_LIBRPM_SONAME " has no function ") + missing;
  // The library stays loaded for the life of the process, like a linked one.
  return loaded;
}

} // namespace

llvm::Expected<const LibRpm *> loadLibRpm(const std::string &path) {
  static const Loaded loaded = load(); // thread-safe once (C++11 static initialisation)
  if (!loaded.error.empty())
    return inputError(path, loaded.error);
  return &loaded.functions;
}

} // namespace pkgnote::detail
