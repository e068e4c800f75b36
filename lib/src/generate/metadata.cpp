// SPDX-License-Identifier: MIT
// Turns the options of `pkgnote generate` into validated package metadata. Each key remembers the
// option it came from, so that a key given twice (--name and --set name=..., or --rpm and
// --version) is reported with both sources instead of one silently winning.
#include "pkgnote/metadata.h"

#include "pkgnote/cpe.h"
#include "pkgnote/nevra.h"
#include "pkgnote/os_release.h"
#include "pkgnote/payload_json.h"
#include "support/errors.h"
#include "support/utf8.h"

#include <llvm/Support/Error.h>

#include <algorithm>

namespace pkgnote {

const std::string *PackageMetadata::find(std::string_view key) const {
  for (const auto &[k, v] : fields)
    if (k == key)
      return &v;
  return nullptr;
}

namespace {

using detail::makeError;

llvm::Error checkValue(std::string_view what, std::string_view value) {
  if (value.empty())
    return makeError(std::string(what) + ": empty value");
  if (auto problem = detail::findTextProblem(value, /*allowControl=*/false))
    return makeError(std::string(what) + ": " + problem->description + " at byte " +
                     std::to_string(problem->offset));
  return llvm::Error::success();
}

// osCpe and appCpe must be CPE names however they are given (--os-cpe, --set osCpe=...): a
// scanner matching them against NVD's dictionary cannot use anything else.
llvm::Error checkCpeValue(std::string_view key, std::string_view what, std::string_view value) {
  if (key != "osCpe" && key != "appCpe")
    return llvm::Error::success();
  Status cpe = checkCpe(value);
  if (!cpe)
    return makeError(std::string(what) + ": '" + std::string(value) + "': " + cpe.error().message);
  return llvm::Error::success();
}

std::size_t rankOf(std::string_view key) {
  auto it = std::find(kWellKnownKeys.begin(), kWellKnownKeys.end(), key);
  return static_cast<std::size_t>(it - kWellKnownKeys.begin()); // kWellKnownKeys.size() if unknown
}

// Collects key/value pairs with the option each came from.
class FieldCollector {
public:
  llvm::Error add(const std::string &key, const std::string &value, const std::string &source) {
    if (llvm::Error error = checkValue(source, value))
      return error;
    if (llvm::Error error = checkCpeValue(key, source, value))
      return error;
    for (const Field &field : fields_)
      if (field.key == key)
        return makeError("key clash: '" + key + "' is given by both " + field.source + " and " +
                         source);
    fields_.push_back({key, value, source});
    return llvm::Error::success();
  }

  bool has(std::string_view key) const {
    return std::any_of(fields_.begin(), fields_.end(),
                       [&](const Field &field) { return field.key == key; });
  }

  // Well-known keys in kWellKnownKeys order, then the others in the order they were added.
  PackageMetadata finish() && {
    std::stable_sort(fields_.begin(), fields_.end(),
                     [](const Field &a, const Field &b) { return rankOf(a.key) < rankOf(b.key); });
    PackageMetadata metadata;
    for (Field &field : fields_)
      metadata.fields.emplace_back(std::move(field.key), std::move(field.value));
    return metadata;
  }

private:
  struct Field {
    std::string key, value, source;
  };
  std::vector<Field> fields_;
};

llvm::Error addRpm(FieldCollector &fields, const std::string &text) {
  if (llvm::Error error = checkValue("--rpm", text))
    return error;
  Result<Nevra> nevra = parseNevra(text);
  if (!nevra)
    return makeError("--rpm: " + nevra.error().message);
  // VERSION-RELEASE without the epoch, as the reference generator's rpm macros write it
  // (${RPM_PACKAGE_VERSION}-${RPM_PACKAGE_RELEASE}): notes of the same build then agree whichever
  // tool stamped them.
  std::string version = nevra->version + "-" + nevra->release;
  const std::pair<std::string, std::string> rpmFields[] = {
      {"type", "rpm"}, {"name", nevra->name}, {"version", version}, {"architecture", nevra->arch}};
  for (const auto &[key, value] : rpmFields)
    if (llvm::Error error = fields.add(key, value, "--rpm"))
      return error;
  return llvm::Error::success();
}

llvm::Error addSet(FieldCollector &fields, const std::string &assignment) {
  std::size_t equals = assignment.find('=');
  std::string key = assignment.substr(0, equals);
  if (key.empty())
    return makeError("--set: empty key (expected KEY=VALUE)");
  if (llvm::Error error = checkValue("--set key", key))
    return error;
  if (equals == std::string::npos)
    return makeError("--set '" + key + "': missing '=' (expected KEY=VALUE)");
  return fields.add(key, assignment.substr(equals + 1), "--set " + key);
}

// What `--os-cpe auto` found: a CPE, or failing that the OS's ID and VERSION_ID.
llvm::Error addOsIdentity(FieldCollector &fields, const std::string &root, OsIdentity &derived) {
  Result<OsIdentity> identity = readOsIdentity(root);
  if (!identity)
    return makeError("--os-cpe auto: " + identity.error().message);
  if (identity->cpe) {
    // A bad CPE is named with the file it came from, which is what needs fixing.
    if (llvm::Error error = checkValue("--os-cpe auto", *identity->cpe))
      return error;
    if (llvm::Error error =
            checkCpeValue("osCpe", "--os-cpe auto: '" + identity->cpeSource + "'", *identity->cpe))
      return error;
    return fields.add("osCpe", *identity->cpe, "--os-cpe auto");
  }
  // Only without a CPE do os and osVersion stand in for it (the reference generator does this).
  derived = *identity;
  return llvm::Error::success();
}

llvm::Expected<PackageMetadata> build(const MetadataRequest &request) {
  FieldCollector fields;
  if (request.rpm)
    if (llvm::Error error = addRpm(fields, *request.rpm))
      return error;

  OsIdentity derived;
  const std::pair<const char *, const std::optional<std::string> *> options[] = {
      {"--type", &request.type},
      {"--name", &request.name},
      {"--version", &request.version},
      {"--architecture", &request.architecture},
      {"--os-cpe", &request.osCpe},
      {"--os", &request.os},
      {"--os-version", &request.osVersion},
      {"--app-cpe", &request.appCpe},
      {"--debuginfod-url", &request.debugInfoUrl}};
  static_assert(std::size(options) == kWellKnownKeys.size());
  for (std::size_t i = 0; i < kWellKnownKeys.size(); ++i) {
    const auto &[option, value] = options[i];
    if (!*value)
      continue;
    llvm::Error error = **value == "auto" && kWellKnownKeys[i] == "osCpe"
                            ? addOsIdentity(fields, request.root, derived)
                            : fields.add(std::string(kWellKnownKeys[i]), **value, option);
    if (error)
      return error;
  }
  for (const std::string &assignment : request.set)
    if (llvm::Error error = addSet(fields, assignment))
      return error;

  // Values derived from os-release yield to the same keys given explicitly.
  if (derived.id && !fields.has("os"))
    if (llvm::Error error = fields.add("os", *derived.id, "--os-cpe auto (os-release ID)"))
      return error;
  if (derived.versionId && !fields.has("osVersion"))
    if (llvm::Error error =
            fields.add("osVersion", *derived.versionId, "--os-cpe auto (os-release VERSION_ID)"))
      return error;

  PackageMetadata metadata = std::move(fields).finish();
  if (metadata.fields.empty())
    return makeError("no metadata given (use --rpm, --type, --name, --set KEY=VALUE, ...)");
  // Encoding checks the payload size limit.
  Result<std::string> json = toPayloadJson(metadata);
  if (!json)
    return makeError(json.error().message);
  return metadata;
}

} // namespace

Result<PackageMetadata> buildMetadata(const MetadataRequest &request) {
  llvm::Expected<PackageMetadata> metadata = build(request);
  if (!metadata)
    return Error{llvm::toString(metadata.takeError())};
  return std::move(*metadata);
}

Status validateValue(std::string_view what, std::string_view value) {
  if (llvm::Error error = checkValue(what, value))
    return Error{llvm::toString(std::move(error))};
  return ok();
}

} // namespace pkgnote
