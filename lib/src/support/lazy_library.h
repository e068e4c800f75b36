// SPDX-License-Identifier: MIT
// A shared library loaded with dlopen on the first call of one of its functions, for libraries
// that only some inputs need (libarchive, liblzma, liburing): linked, the dynamic loader would map
// and relocate them, and what they bring, at every start of a one-file `pkgnote read`.
//
// A file per library lists its functions once (an X-macro of name, return type, parameters and
// arguments) and defines each under the library's own name and prototype with
// PKGNOTE_LAZY_FORWARD: a prototype that differs from the library's header is a compile error, and
// a function missing from the list is a link error, so no call bypasses the loader. Without the
// library (or one of its functions), the forwarders return the file's failure value (an error
// code, null) without touching their arguments, and error() says why.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace pkgnote::detail {

class LazyLibrary {
public:
  // Loads SONAME and finds each of NAMES in it; PURPOSE ends the error message ("to read ...").
  LazyLibrary(const char *soname, const char *purpose, const char *const *names, std::size_t count);

  bool loaded() const { return error_.empty(); }
  // Why the library or a function could not be loaded; empty when loaded().
  const std::string &error() const { return error_; }
  template <class Function> Function function(std::size_t index) const {
    return reinterpret_cast<Function>(functions_[index]);
  }

private:
  std::vector<void *> functions_;
  std::string error_;
};

// What a forwarder returns when its library is not there: null, or FAILURE.
template <class R> R lazyUnavailable(long failure) {
  if constexpr (std::is_void_v<R>)
    return;
  else if constexpr (std::is_pointer_v<R>)
    return nullptr;
  else
    return static_cast<R>(failure);
}

} // namespace pkgnote::detail

// The list's enumerators and names, for a library's LazyLibrary.
#define PKGNOTE_LAZY_ENUMERATOR(name, ...) k_##name,
#define PKGNOTE_LAZY_NAME(name, ...) #name,

// NAME under its own prototype, forwarding to LIBRARY() (a function returning the loaded
// LazyLibrary) or returning FAILURE.
#define PKGNOTE_LAZY_FORWARD(library, failure, name, ret, params, args)                            \
  extern "C" ret name params {                                                                     \
    const pkgnote::detail::LazyLibrary &lazy = library();                                          \
    if (!lazy.loaded())                                                                            \
      return pkgnote::detail::lazyUnavailable<ret>(failure);                                       \
    return lazy.function<decltype(&::name)>(k_##name) args;                                        \
  }
