// SPDX-License-Identifier: MIT
// LazyLibrary (lazy_library.h): dlopen once, then dlsym each function.
#include "support/lazy_library.h"

#include <dlfcn.h>

namespace pkgnote::detail {

LazyLibrary::LazyLibrary(const char *soname, const char *purpose, const char *const *names,
                         std::size_t count)
    : functions_(count) {
  // RTLD_LOCAL: the library's symbols (and those of what it brings) stay out of the global
  // namespace, where they could bind the forwarders' own names.
  void *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = dlerror();
    error_ = std::string("cannot load ") + soname + " " + purpose + ": " +
             (reason ? reason : "unknown error");
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    functions_[i] = dlsym(library, names[i]);
    if (!functions_[i]) {
      error_ = std::string(soname) + " has no function " + names[i];
      return;
    }
  }
  // The library stays loaded for the life of the process, like a linked one.
}

} // namespace pkgnote::detail
