// SPDX-License-Identifier: MIT
// The ELF note that carries the payload: owner "FDO", type 0xcafe1a7e.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace pkgnote {

enum class Endian { Little, Big };

inline constexpr std::uint32_t kPackageNoteType = 0xcafe1a7e;
inline constexpr std::string_view kPackageNoteOwner = "FDO";

// namesz = 4, descsz = json.size() + 1 (the gABI: padding not counted), type; "FDO\0"; the JSON,
// NUL-terminated, zero-padded to 4 bytes. Header words in ENDIAN byte order.
std::vector<std::uint8_t> encodePackageNote(std::string_view json, Endian endian);

} // namespace pkgnote
