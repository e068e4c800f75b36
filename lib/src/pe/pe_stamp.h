// SPDX-License-Identifier: MIT
// Stamping a PE image (PE32 or PE32+, any machine) with UAPI.8's `.pkgnote` section: as a new
// last section (header slot in the headers' free space, raw data appended at FileAlignment,
// address at the next SectionAlignment), or over an existing `.pkgnote` where it is. The optional
// header's SizeOfImage, SizeOfInitializedData and (when nonzero) CheckSum follow. An Authenticode
// signature (the certificate table) is refused, or removed with allowUnsigning. docs/pe.md.
#pragma once

#include "pkgnote/stamp.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pkgnote::detail {

// Whether the first bytes read through READ are "MZ" (the stamper then plans a PE stamp).
bool startsLikePe(const StampReader &read, std::uint64_t fileSize);

// The plan for a file that starts with "MZ"; an error (the file left as it is) for one that is not
// a PE image or cannot take the section. Reads the whole file through READ (a PE image's
// checksum covers all of it).
Result<StampPlan> planPeStamp(const StampReader &read, std::uint64_t fileSize,
                              std::string_view payloadJson, const StampOptions &options,
                              const std::string &name);

// The PE image checksum (the algorithm of imagehlp's CheckSumMappedFile): BYTES summed as 16-bit
// little-endian words with the carry folded back, then the file's length added. The CheckSum
// field must be zero in BYTES (the caller clears it first).
std::uint32_t peChecksum(std::string_view bytes);

} // namespace pkgnote::detail
