// SPDX-License-Identifier: MIT
// The note's JSON payload. Writing goes through nlohmann's ordered_json so that keys keep the
// order pkgnote chose; reading goes through a SAX handler that accepts only a flat object of
// strings, so a hostile note can neither nest deeply nor hide a second value under a repeated key.
#include "pkgnote/payload_json.h"

#include "support/errors.h"
#include "support/utf8.h"

#include <llvm/Support/Error.h>
#include <nlohmann/json.hpp>

#include <unordered_set>

namespace pkgnote {
namespace {

using detail::makeError;

llvm::Error checkSize(std::size_t size) {
  if (size > kMaxPayloadBytes)
    return makeError("payload is " + std::to_string(size) + " bytes, over the " +
                     std::to_string(kMaxPayloadBytes) + "-byte limit");
  return llvm::Error::success();
}

llvm::Error checkText(const std::string &what, std::string_view text, bool allowControl) {
  if (auto problem = detail::findTextProblem(text, allowControl))
    return makeError(what + ": " + problem->description + " at byte " +
                     std::to_string(problem->offset));
  return llvm::Error::success();
}

llvm::Expected<std::string> encode(const PackageMetadata &metadata) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < metadata.fields.size(); ++i) {
    const auto &[key, value] = metadata.fields[i];
    if (key.empty())
      return makeError("key " + std::to_string(i) + ": empty key");
    if (llvm::Error error = checkText("key " + std::to_string(i), key, false))
      return error;
    if (llvm::Error error = checkText("value of '" + key + "'", value, false))
      return error;
    if (object.contains(key))
      return makeError("duplicate key '" + key + "'");
    object[key] = value;
  }
  std::string json;
  try {
    json = object.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::exception &e) {
    return makeError(std::string("cannot encode payload: ") + e.what());
  }
  if (llvm::Error error = checkSize(json.size()))
    return error;
  return json;
}

// Accepts exactly one object whose values are all strings; stops at the first violation.
class FlatObjectReader : public nlohmann::json_sax<nlohmann::json> {
public:
  PackageMetadata metadata;
  std::string problem; // set when the reader, not the lexer, rejected the input

  bool null() override { return reject("is null"); }
  bool boolean(bool) override { return reject("is a boolean"); }
  bool number_integer(number_integer_t) override { return reject("is a number"); }
  bool number_unsigned(number_unsigned_t) override { return reject("is a number"); }
  bool number_float(number_float_t, const string_t &) override { return reject("is a number"); }
  bool binary(binary_t &) override { return reject("is binary"); }
  bool start_array(std::size_t) override { return reject("is an array"); }
  bool end_array() override { return false; }
  bool start_object(std::size_t) override {
    if (depth_++ == 0)
      return true;
    return reject("is an object");
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool key(string_t &key) override {
    if (!keys_.insert(key).second) {
      problem = "duplicate key " + detail::quoted(key);
      return false;
    }
    metadata.fields.emplace_back(key, std::string());
    return true;
  }
  bool string(string_t &value) override {
    if (depth_ == 0) {
      problem = "not a JSON object";
      return false;
    }
    metadata.fields.back().second = value;
    return true;
  }
  bool parse_error(std::size_t position, const std::string &,
                   const nlohmann::detail::exception &) override {
    if (problem.empty())
      problem = "invalid JSON at byte " + std::to_string(position > 0 ? position - 1 : 0);
    return false;
  }

private:
  bool reject(const char *what) {
    problem = depth_ == 0
                  ? std::string("not a JSON object")
                  : "value of " + detail::quoted(metadata.fields.back().first) + " " + what +
                        ", not a string";
    return false;
  }

  int depth_ = 0;
  std::unordered_set<std::string> keys_;
};

llvm::Expected<PackageMetadata> decode(std::string_view payload) {
  if (llvm::Error error = checkSize(payload.size()))
    return error;
  // nlohmann's lexer takes a NUL for the end of input and would ignore whatever follows it.
  if (std::size_t nul = payload.find('\0'); nul != std::string_view::npos)
    return makeError("payload: NUL byte at byte " + std::to_string(nul));
  // Checked before parsing so that the message names the byte rather than a lexer state.
  if (llvm::Error error = checkText("payload", payload, /*allowControl=*/true))
    return error;
  FlatObjectReader reader;
  bool parsed = false;
  try {
    parsed = nlohmann::json::sax_parse(payload.begin(), payload.end(), &reader);
  } catch (const nlohmann::json::exception &e) {
    return makeError(std::string("payload: ") + e.what());
  }
  if (!parsed)
    return makeError("payload: " + (reader.problem.empty() ? "invalid JSON" : reader.problem));
  return std::move(reader.metadata);
}

} // namespace

Result<std::string> toPayloadJson(const PackageMetadata &metadata) {
  llvm::Expected<std::string> json = encode(metadata);
  if (!json)
    return Error{llvm::toString(json.takeError())};
  return std::move(*json);
}

Result<PackageMetadata> parsePayloadJson(std::string_view payload) {
  llvm::Expected<PackageMetadata> metadata = decode(payload);
  if (!metadata)
    return Error{llvm::toString(metadata.takeError())};
  return std::move(*metadata);
}

} // namespace pkgnote
