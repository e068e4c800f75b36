// SPDX-License-Identifier: MIT
// Errors in the library's one message form (errors.h).
#include "support/errors.h"

#include "llvm/Support/raw_ostream.h"

#include <cstring>

namespace pkgnote::detail {

char InputError::ID = 0;

namespace {

// The one place that writes "'INPUT': PROBLEM", for llvm::Error and pkgnote::Error alike.
std::string inputMessage(const std::string &input, const std::string &problem) {
  return "'" + input + "': " + problem;
}

} // namespace

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string errnoText(int error) {
  std::string text = std::strerror(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

void InputError::log(llvm::raw_ostream &out) const { out << inputMessage(input_, problem_); }

llvm::Error inputError(const std::string &input, const llvm::Twine &problem) {
  return llvm::make_error<InputError>(input, problem.str());
}

std::string problemAbout(llvm::Error error, const std::string &input) {
  // An ErrorList is not an InputError: joined errors stay whole, as toString gives them.
  if (!error.isA<InputError>())
    return llvm::toString(std::move(error));
  std::string text;
  llvm::handleAllErrors(std::move(error), [&](const InputError &found) {
    text = found.input() == input ? found.problem() : found.message();
  });
  return text;
}

const std::string &problemAbout(const Error &error, const std::string &input) {
  return !error.input.empty() && error.input == input ? error.problem : error.message;
}

Error inputProblem(const std::string &input, const std::string &problem) {
  return Error{inputMessage(input, problem), input, problem};
}

Error toPublicError(llvm::Error error) {
  if (!error.isA<InputError>())
    return Error{llvm::toString(std::move(error))};
  Error out;
  llvm::handleAllErrors(std::move(error), [&](const InputError &found) {
    out = inputProblem(found.input(), found.problem());
  });
  return out;
}

} // namespace pkgnote::detail
