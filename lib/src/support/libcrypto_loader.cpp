// SPDX-License-Identifier: MIT
// OpenSSL's libcrypto, loaded on the first digest (an image's blobs) rather than linked
// (lazy_library.h): it is 4.6 MB of code with its own start-up, and a read of plain ELF files
// makes no digest. The forwarders exist only in the shared build (PKGNOTE_LIBCRYPTO_SONAME);
// PKGNOTE_STATIC links libcrypto.a. Without the library EVP_MD_CTX_new gives null, which
// Sha256 (sha256.h) reports with libCryptoUnavailable().
#include "support/sha256.h"

#ifndef PKGNOTE_LIBCRYPTO_SONAME

std::string pkgnote::detail::libCryptoUnavailable() { return ""; }

#else

#include "support/lazy_library.h"

#include <openssl/evp.h>

// Every forwarded function: name, return type, parameters, arguments.
#define PKGNOTE_LIBCRYPTO_FUNCTIONS(X)                                                             \
  X(EVP_MD_CTX_new, EVP_MD_CTX *, (void), ())                                                      \
  X(EVP_MD_CTX_free, void, (EVP_MD_CTX * context), (context))                                      \
  X(EVP_sha256, const EVP_MD *, (void), ())                                                        \
  X(EVP_DigestInit_ex, int, (EVP_MD_CTX * context, const EVP_MD *type, ENGINE *engine),            \
    (context, type, engine))                                                                       \
  X(EVP_DigestUpdate, int, (EVP_MD_CTX * context, const void *data, size_t size),                  \
    (context, data, size))                                                                         \
  X(EVP_DigestFinal_ex, int, (EVP_MD_CTX * context, unsigned char *digest, unsigned int *size),    \
    (context, digest, size))

namespace pkgnote::detail {
namespace {

enum Function : unsigned { PKGNOTE_LIBCRYPTO_FUNCTIONS(PKGNOTE_LAZY_ENUMERATOR) kFunctions };

constexpr const char *kNames[] = {PKGNOTE_LIBCRYPTO_FUNCTIONS(PKGNOTE_LAZY_NAME)};

const LazyLibrary &libCrypto() {
  static const LazyLibrary library(PKGNOTE_LIBCRYPTO_SONAME, "(image digests are made with it)",
                                   kNames, kFunctions);
  return library;
}

} // namespace

std::string libCryptoUnavailable() { return libCrypto().error(); }

} // namespace pkgnote::detail

using namespace pkgnote::detail;

#define PKGNOTE_FORWARD(...) PKGNOTE_LAZY_FORWARD(libCrypto, 0, __VA_ARGS__)
PKGNOTE_LIBCRYPTO_FUNCTIONS(PKGNOTE_FORWARD)
#undef PKGNOTE_FORWARD

#endif // PKGNOTE_LIBCRYPTO_SONAME
