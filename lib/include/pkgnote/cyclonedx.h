// SPDX-License-Identifier: MIT
// `pkgnote read --format cyclonedx`: the reports of one run as one CycloneDX 1.6 JSON document
// (docs/sbom.md): a component per distinct package note (purl.h), an operating-system component
// per OS the notes name, a file component per ELF file without a note, the container image as
// metadata.component.
#pragma once

#include "pkgnote/elf_report.h"
#include "pkgnote/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote {

struct CycloneDxOptions {
  std::string toolVersion;    // pkgnote's, for metadata.tools
  std::int64_t timestamp = 0; // metadata.timestamp, seconds since the Unix epoch
  // Derive serialNumber from the document's content (a name-based UUID, version 5), so that the
  // same inputs give the same bytes; otherwise it is random (version 4).
  bool reproducible = false;
};

// The document, pretty-printed, ending in a newline. Bytes that are not UTF-8 become U+FFFD.
std::string reportsToCycloneDx(const std::vector<FileReport> &reports,
                               const CycloneDxOptions &options);

// Modules held by something that is not a file, such as a running process (ps.h): CONTEXT names
// it in each module's occurrence ("process 123 (sshd)"), as "core 'PATH'" does for a core's.
struct ModuleGroup {
  std::string context;
  std::vector<ModuleReport> modules;
};

// The document of GROUPS, with the conventions of reportsToCycloneDx.
std::string modulesToCycloneDx(const std::vector<ModuleGroup> &groups,
                               const CycloneDxOptions &options);

// The value of SOURCE_DATE_EPOCH (reproducible-builds.org): std::nullopt when VALUE is null or
// empty, an error when it is not a decimal number of seconds in range.
Result<std::optional<std::int64_t>> parseSourceDateEpoch(const char *value);

} // namespace pkgnote
