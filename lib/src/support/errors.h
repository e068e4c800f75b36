// SPDX-License-Identifier: MIT
// The library's one way to make errors. A problem with an input is an InputError: the input's
// name and the problem kept apart, so that a caller naming the input its own way (a member of a
// package, a file in an image) takes the problem rather than cutting "'NAME': " off a string;
// its text, "'NAME': PROBLEM", is made here and nowhere else.
#pragma once

#include "pkgnote/result.h"

#include "llvm/Support/Error.h"

#include <string>

namespace pkgnote::detail {

// An error about no input in particular (an option, a value), MESSAGE as it is.
llvm::Error makeError(const llvm::Twine &message);

// strerror() text, lowercased to the one message form ("no such file or directory").
std::string errnoText(int error);

// A problem with one input: a file, an image, a package (which then names its member in PROBLEM).
class InputError : public llvm::ErrorInfo<InputError> {
public:
  static char ID;

  InputError(std::string input, std::string problem)
      : input_(std::move(input)), problem_(std::move(problem)) {}

  const std::string &input() const { return input_; }
  const std::string &problem() const { return problem_; }
  // "'INPUT': PROBLEM".
  void log(llvm::raw_ostream &out) const override;
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string input_;
  std::string problem_;
};

// An InputError.
llvm::Error inputError(const std::string &input, const llvm::Twine &problem);

// ERROR's text (consumed) for a message that already names INPUT: the problem of an InputError
// about INPUT, any other error whole (it names something else, or nothing).
std::string problemAbout(llvm::Error error, const std::string &input);

// The same for a public Error.
const std::string &problemAbout(const Error &error, const std::string &input);

// The public value of a problem with INPUT: message "'INPUT': PROBLEM", both also apart.
Error inputProblem(const std::string &input, const std::string &problem);

// The public value of ERROR (consumed); an InputError keeps its input and problem apart.
Error toPublicError(llvm::Error error);

} // namespace pkgnote::detail
