// SPDX-License-Identifier: MIT
// SHA-256 (image blob digests) through OpenSSL's libcrypto, loaded on first use
// (libcrypto_loader.cpp), which uses the CPU's SHA instructions where it has them: on this
// project's 2-core EPYC it hashes 1 GiB in 0.25x the CPU time of LLVM's SHA256, which uses none,
// and nettle's took 0.28x (docs/images.md). LLVM 14's SHA256 also counts the length in 32 bits,
// so its digest of 512 MiB or more is wrong.
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <array>
#include <cstdint>
#include <string>

struct evp_md_ctx_st;

namespace pkgnote::detail {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256 &) = delete;
  Sha256 &operator=(const Sha256 &) = delete;

  // Why no digest can be made (libcrypto missing, out of memory); empty when it can. Without
  // one, update() does nothing and final() gives zeros.
  const std::string &error() const { return error_; }
  void update(llvm::ArrayRef<std::uint8_t> bytes);
  // The digest of everything updated; the object is not to be updated after.
  std::array<std::uint8_t, 32> final();

private:
  evp_md_ctx_st *context_ = nullptr;
  std::string error_;
};

// "sha256:" and the 64 lowercase hex digits of DIGEST.
std::string sha256Text(const std::array<std::uint8_t, 32> &digest);

// libcrypto's loader: why it could not be loaded, empty when it was (or is linked).
std::string libCryptoUnavailable();

} // namespace pkgnote::detail
