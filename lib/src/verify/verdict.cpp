// SPDX-License-Identifier: MIT
// The expected keys of a package and the verdict on one file's note (verify.h). Only the expected
// keys are compared: a note may carry more (os, osCpe, debugInfoUrl, ...) and still be ok.
#include "pkgnote/verify.h"

namespace pkgnote {

std::string_view verdictName(Verdict verdict) {
  switch (verdict) {
  case Verdict::Ok:
    return "ok";
  case Verdict::Unstamped:
    return "unstamped";
  case Verdict::Mismatch:
    return "mismatch";
  case Verdict::Error:
    return "error";
  case Verdict::LeakedFlags:
    return "leaked-flags";
  }
  return "error";
}

PackageMetadata mergeExpected(const PackageMetadata &header,
                              const std::optional<PackageMetadata> &overrides) {
  PackageMetadata expected = header;
  if (!overrides)
    return expected;
  for (const auto &[key, value] : overrides->fields) {
    bool replaced = false;
    for (auto &field : expected.fields)
      if (field.first == key) {
        field.second = value;
        replaced = true;
      }
    if (!replaced)
      expected.fields.emplace_back(key, value);
  }
  return expected;
}

FileVerdict judgeNote(const PackageMetadata &expected, const std::optional<PackageMetadata> &found) {
  FileVerdict verdict;
  verdict.expected = expected;
  verdict.found = found;
  if (!found) {
    verdict.verdict = Verdict::Unstamped;
    return verdict;
  }
  for (const auto &[key, value] : expected.fields) {
    const std::string *actual = found->find(key);
    if (!actual || *actual != value)
      verdict.differences.push_back(key);
  }
  verdict.verdict = verdict.differences.empty() ? Verdict::Ok : Verdict::Mismatch;
  return verdict;
}

} // namespace pkgnote
