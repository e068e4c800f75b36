// SPDX-License-Identifier: MIT
// The library's errors (support/errors.h): a problem with an input keeps the input's name apart
// from the problem, through llvm::Error and into the public pkgnote::Error, while the message
// stays the one form "'INPUT': PROBLEM" that the tool prints.
#include "support/errors.h"

#include <cerrno>
#include <gtest/gtest.h>

namespace pkgnote::detail {
namespace {

TEST(InputError, KeepsTheInputApartFromTheProblem) {
  llvm::Error error = inputError("a.out", "program headers at 0x40+0x38 extend past end of file");
  ASSERT_TRUE(error.isA<InputError>());
  Error value = toPublicError(std::move(error));
  EXPECT_EQ(value.message, "'a.out': program headers at 0x40+0x38 extend past end of file");
  EXPECT_EQ(value.input, "a.out");
  EXPECT_EQ(value.problem, "program headers at 0x40+0x38 extend past end of file");
}

TEST(InputError, ProblemAboutAnotherInputIsTheWholeMessage) {
  // A name that merely starts the same way is another input: nothing is cut off.
  EXPECT_EQ(problemAbout(inputError("a.out", "bad"), "a.out"), "bad");
  EXPECT_EQ(problemAbout(inputError("a.out", "bad"), "a"), "'a.out': bad");
  EXPECT_EQ(problemAbout(makeError("'a.out': bad"), "a.out"), "'a.out': bad");
  Error value = inputProblem("pkg.deb", "data.tar.xz: truncated");
  EXPECT_EQ(problemAbout(value, "pkg.deb"), "data.tar.xz: truncated");
  EXPECT_EQ(problemAbout(value, "other.deb"), "'pkg.deb': data.tar.xz: truncated");
  EXPECT_EQ(problemAbout(Error{"--name: empty value"}, ""), "--name: empty value");
}

TEST(InputError, NamesWithQuotesAndColonsStayApart) {
  // The name a string parser would have got wrong: it holds "': " itself.
  Error value = toPublicError(inputError("x': y", "not an ELF file"));
  EXPECT_EQ(value.message, "'x': y': not an ELF file");
  EXPECT_EQ(value.input, "x': y");
  EXPECT_EQ(value.problem, "not an ELF file");
  // Cutting "'x': " off the message would have left "y': not an ELF file".
  EXPECT_EQ(problemAbout(inputError("x': y", "not an ELF file"), "x"), "'x': y': not an ELF file");
}

TEST(Errors, MakeErrorAndErrnoText) {
  Error plain = toPublicError(makeError("--format: unknown format 'x'"));
  EXPECT_EQ(plain.message, "--format: unknown format 'x'");
  EXPECT_TRUE(plain.input.empty());
  EXPECT_TRUE(plain.problem.empty());
  EXPECT_EQ(errnoText(ENOENT), "no such file or directory");
  EXPECT_EQ(errnoText(EACCES), "permission denied");
}

} // namespace
} // namespace pkgnote::detail
