// SPDX-License-Identifier: MIT
// The error type at libpkgnote's API. Inside the library, code uses llvm::Expected/llvm::Error;
// at the public boundary errors become values of this plain type, so that callers need neither
// LLVM's headers nor its rule that every Error must be consumed. No exception crosses the API.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pkgnote {

// One-line, lowercase message without a final period, naming the input and the problem,
// e.g. "'core.123': NT_FILE entry 7: start 0x4000 beyond segment".
struct Error {
  std::string message;
  // When the message is about one input (a file, an image, a package): the input as named, and
  // the message without it (MESSAGE is then "'INPUT': PROBLEM"), for a caller that names the
  // input its own way. Both empty when the message names no input, or names it only in its text
  // (a NEVRA or a value quoted inside the problem).
  std::string input = {};
  std::string problem = {};
};

// TEXT with control bytes (C0 and DEL) shown as \xNN. Messages quote paths and bytes from files
// nobody vouches for; escaped, a message stays one line and cannot drive the terminal.
std::string escapeControlBytes(std::string_view text);

// Either a T or an Error.
template <typename T> class Result {
public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  explicit operator bool() const { return std::holds_alternative<T>(state_); }
  bool ok() const { return static_cast<bool>(*this); }

  T &operator*() & { return std::get<T>(state_); }
  const T &operator*() const & { return std::get<T>(state_); }
  T &&operator*() && { return std::get<T>(std::move(state_)); }
  T *operator->() { return &std::get<T>(state_); }
  const T *operator->() const { return &std::get<T>(state_); }

  const Error &error() const { return std::get<Error>(state_); }

private:
  std::variant<T, Error> state_;
};

// For operations that produce nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status ok() { return Done{}; }

} // namespace pkgnote
