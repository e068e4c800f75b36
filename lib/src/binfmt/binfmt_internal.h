// SPDX-License-Identifier: MIT
// Helpers shared by the binfmt files: the library's error helpers (support/errors.h), and the
// conversion from llvm::Expected (used inside) to pkgnote::Result (the public API).
#pragma once

#include "pkgnote/binfmt.h"
#include "pkgnote/result.h"
#include "support/errors.h"

#include <llvm/Support/Error.h>

#include <string>
#include <utility>

namespace pkgnote::binfmt_detail {

using detail::errnoText;
using detail::inputProblem;
using detail::makeError;
using detail::toPublicError;

template <typename T> Result<T> toResult(llvm::Expected<T> value) {
  if (!value)
    return toPublicError(value.takeError());
  return std::move(*value);
}

// PATH (absolute, as seen on the system) under ROOT, following symlinks the way the system would
// see them (an absolute target restarts at ROOT). Empty when a component is missing or the links
// loop.
std::string resolveUnderRoot(const std::string &root, const std::string &path);

// ROOT joined with an absolute PATH, without resolving anything.
std::string joinRoot(const std::string &root, const std::string &path);

// Sets `active` and `shadowedBy` of LISTING's registrations (binfmt_precedence.cpp).
void markPrecedence(BinfmtListing &listing);

} // namespace pkgnote::binfmt_detail
