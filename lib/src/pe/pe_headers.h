// SPDX-License-Identifier: MIT
// The headers of a PE/COFF image (PE32 or PE32+, any machine) as the reader and the stamper need
// them: the COFF file header, the optional header's fields both kinds share, the data directories
// and the section table, each with the file offset it was read from (the stamper patches them
// there). Only the headers are read, through a ByteSource, each range checked before it is read,
// as the ELF reader reads its headers: LLVM's COFFObjectFile wants the whole file in memory,
// which a tree walk over thousands of DLLs should not pay; its structures (llvm/Object/COFF.h)
// are used for the bytes.
#pragma once

#include "io/byte_source.h"

#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote::detail {

// The section UAPI.8 names: eight bytes, so it fills the header's name field with no NUL.
inline constexpr char kPeNoteSection[] = ".pkgnote";

struct PeHeaders {
  std::uint32_t peOffset = 0;          // e_lfanew: where "PE\0\0" is
  llvm::object::coff_file_header file; // after the signature
  std::uint64_t optionalOffset = 0;    // of the optional header
  bool is64 = false;                   // PE32+ (magic 0x20b)
  // The optional header's fields both kinds have, as read.
  std::uint32_t sizeOfInitializedData = 0;
  std::uint32_t sectionAlignment = 0, fileAlignment = 0;
  std::uint32_t sizeOfImage = 0, sizeOfHeaders = 0, checkSum = 0;
  std::uint16_t subsystem = 0, dllCharacteristics = 0;
  std::uint64_t directoriesOffset = 0; // of the data directories (NumberOfRvaAndSize entries)
  std::vector<llvm::object::data_directory> directories;
  std::uint64_t sectionTableOffset = 0; // of NumberOfSections coff_section entries
  std::vector<llvm::object::coff_section> sections;

  // Offsets of the fields the stamper rewrites, relative to optionalOffset (the same in PE32 and
  // PE32+: the 64-bit ImageBase takes the place of PE32's BaseOfData).
  static constexpr std::uint64_t kSizeOfInitializedData = 8;
  static constexpr std::uint64_t kSizeOfImage = 56;
  static constexpr std::uint64_t kCheckSum = 64;

  // The data directory INDEX, or an empty one when the header has fewer.
  llvm::object::data_directory directory(unsigned index) const;
  // The file offset of RVA, and how many bytes from it lie in the same section's raw data;
  // std::nullopt when no section's raw data holds it (headers: RVA < sizeOfHeaders maps 1:1).
  std::optional<std::pair<std::uint64_t, std::uint64_t>> fileRangeOf(std::uint32_t rva) const;
};

// The headers of SOURCE when it is a PE image: std::nullopt when it does not start with "MZ" or
// has no "PE\0\0" where e_lfanew points (a DOS program, or not an executable at all); an error
// when the PE headers are there but out of range or inconsistent.
llvm::Expected<std::optional<PeHeaders>> readPeHeaders(const ByteSource &source);

// A section's name as written in its header (up to eight bytes, NUL-padded).
std::string sectionName(const llvm::object::coff_section &section);

} // namespace pkgnote::detail
