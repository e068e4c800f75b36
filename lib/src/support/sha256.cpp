// SPDX-License-Identifier: MIT
// Sha256 (sha256.h) over libcrypto's EVP interface, the one OpenSSL 3 keeps un-deprecated.
#include "support/sha256.h"

#include <openssl/evp.h>

namespace pkgnote::detail {

Sha256::Sha256() {
  context_ = EVP_MD_CTX_new();
  const EVP_MD *sha256 = context_ ? EVP_sha256() : nullptr;
  if (!sha256 || EVP_DigestInit_ex(context_, sha256, nullptr) != 1) {
    std::string why = libCryptoUnavailable();
    error_ = "cannot compute sha256: " + (why.empty() ? std::string("out of memory") : why);
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::update(llvm::ArrayRef<std::uint8_t> bytes) {
  if (error_.empty() && !bytes.empty() &&
      EVP_DigestUpdate(context_, bytes.data(), bytes.size()) != 1)
    error_ = "cannot compute sha256: libcrypto refused the data";
}

std::array<std::uint8_t, 32> Sha256::final() {
  std::array<std::uint8_t, 32> digest{};
  unsigned size = 0;
  if (error_.empty() && EVP_DigestFinal_ex(context_, digest.data(), &size) != 1)
    digest = {};
  return digest;
}

std::string sha256Text(const std::array<std::uint8_t, 32> &digest) {
  static const char hex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (std::uint8_t c : digest) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

} // namespace pkgnote::detail
