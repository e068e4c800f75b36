// SPDX-License-Identifier: MIT
// ELF images for the reader's tests, built in memory with LLVM's yaml2obj library (ObjectYAML):
// an Image describes one note section (and a PT_NOTE over it) at offset 0x1000, past the first
// 4 KiB that a file read keeps.
#pragma once

#include "llvm/ObjectYAML/yaml2obj.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace pkgnote::testing {

inline std::string yamlToElf(const std::string &yaml) {
  std::string bytes, messages;
  llvm::raw_string_ostream out(bytes);
  llvm::yaml::Input input(yaml);
  bool converted = llvm::yaml::convertYAML(
      input, out, [&](const llvm::Twine &message) { messages += message.str() + "\n"; });
  EXPECT_TRUE(converted) << messages << yaml;
  out.flush();
  return bytes;
}

// Hex of a note's bytes: header words in ENDIAN, name and desc each padded to ALIGN. DESCSZ
// overrides n_descsz (e.g. GNU ld's padded length).
inline std::string noteHex(bool bigEndian, const std::string &name, std::uint32_t type,
                    const std::string &desc, unsigned align = 4, long descsz = -1) {
  auto word = [&](std::uint32_t value) {
    std::string bytes(4, '\0');
    for (int i = 0; i < 4; ++i)
      bytes[bigEndian ? 3 - i : i] = static_cast<char>(value >> (8 * i));
    return bytes;
  };
  auto pad = [&](std::string bytes, std::size_t from) {
    while ((from + bytes.size()) % align)
      bytes.push_back('\0');
    return bytes;
  };
  std::string note = word(static_cast<std::uint32_t>(name.size())) +
                     word(static_cast<std::uint32_t>(descsz < 0 ? desc.size() : descsz)) +
                     word(type);
  note += pad(name, note.size());
  note += pad(desc, 0);
  std::string hex;
  for (unsigned char byte : note) {
    static const char digits[] = "0123456789abcdef";
    hex.push_back(digits[byte >> 4]);
    hex.push_back(digits[byte & 15]);
  }
  return hex;
}

inline const std::string kFdo("FDO\0", 4), kGnu("GNU\0", 4);
inline const std::string kPayload = R"({"type":"deb","name":"hello","version":"2.10-3","architecture":"s390x","x-extra":"é"})";

// An ELF file with the given type, one SHT_NOTE section holding CONTENT (hex) at offset 0x1000,
// and a PT_NOTE segment over it unless SEGMENTS is false.
struct Image {
  const char *elfClass = "ELFCLASS64", *data = "ELFDATA2LSB", *machine = "EM_X86_64";
  const char *type = "ET_DYN";
  std::string content;
  std::string sectionName = ".note.package";
  unsigned align = 4;
  bool segments = true, sectionHeaders = true;
  std::string segmentExtra; // more keys for the PT_NOTE header

  std::string yaml() const {
    std::string text = std::string("--- !ELF\nFileHeader:\n  Class: ") + elfClass +
                       "\n  Data: " + data + "\n  Type: " + type + "\n  Machine: " + machine +
                       "\nSections:\n  - Name: " + sectionName +
                       "\n    Type: SHT_NOTE\n    Flags: [ SHF_ALLOC ]\n    Offset: 0x1000\n"
                       "    AddressAlign: " + std::to_string(align) + "\n    Content: " + content +
                       "\n";
    if (!sectionHeaders)
      text += "  - Type: SectionHeaderTable\n    NoHeaders: true\n";
    if (segments)
      text += "ProgramHeaders:\n  - Type: PT_NOTE\n    FirstSec: " + sectionName +
              "\n    LastSec: " + sectionName + "\n    Align: " + std::to_string(align) + "\n" +
              segmentExtra;
    return text;
  }
  std::string bytes() const { return yamlToElf(yaml()); }
};

// A shared object whose one note (at 0x1000, past the first 4 KiB) is the package note of
// kPayload.
inline std::string stampedImage() {
  Image image;
  image.content = noteHex(false, kFdo, 0xcafe1a7e, kPayload + '\0');
  return image.bytes();
}

} // namespace pkgnote::testing
