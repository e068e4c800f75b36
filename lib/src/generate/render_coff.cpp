// SPDX-License-Identifier: MIT
// `generate --format coff`: a COFF relocatable object whose one section is UAPI.8's `.pkgnote`,
// the payload NUL-terminated and NUL-padded to the section's alignment, for a PE link to take as
// one more input (x86_64-w64-mingw32-gcc ... note.o, lld-link ... note.obj). The bytes are LLVM's
// COFF structures (llvm/Object/COFF.h) filled in: file header, one section header, the raw data,
// and a symbol table holding the section symbol with its auxiliary section definition, as the
// objects of MSVC, clang and GNU as carry (some tools list a section only through its symbol).
// Nothing varies between runs: the time stamp is 0.
#include "pkgnote/render.h"

#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"

#include <cstring>

namespace pkgnote {
namespace {

using namespace llvm::object;
namespace COFF = llvm::COFF;

template <class T> void append(std::string &out, const T &value) {
  out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

} // namespace

Result<std::uint16_t> parseCoffMachine(std::string_view name) {
  if (name == "amd64")
    return std::uint16_t(COFF::IMAGE_FILE_MACHINE_AMD64);
  if (name == "i386")
    return std::uint16_t(COFF::IMAGE_FILE_MACHINE_I386);
  if (name == "arm64")
    return std::uint16_t(COFF::IMAGE_FILE_MACHINE_ARM64);
  if (name == "armnt")
    return std::uint16_t(COFF::IMAGE_FILE_MACHINE_ARMNT);
  return Error{"--coff-machine: unknown machine '" + std::string(name) +
               "' (expected amd64, i386, arm64 or armnt)"};
}

std::string renderCoffObject(std::string_view json, std::uint16_t machine) {
  // 8-byte alignment on 64-bit machines, 4 on 32-bit ones, as their data sections have.
  bool wide =
      machine == COFF::IMAGE_FILE_MACHINE_AMD64 || machine == COFF::IMAGE_FILE_MACHINE_ARM64;
  std::size_t align = wide ? 8 : 4;
  std::string data(json);
  data.push_back('\0');
  data.resize((data.size() + align - 1) / align * align, '\0');

  constexpr std::uint32_t kDataAt = COFF::Header16Size + COFF::SectionSize;
  static_assert(sizeof(coff_file_header) == COFF::Header16Size);
  static_assert(sizeof(coff_section) == COFF::SectionSize);
  static_assert(sizeof(coff_symbol16) == COFF::Symbol16Size);
  static_assert(sizeof(coff_aux_section_definition) == COFF::Symbol16Size);

  coff_file_header header;
  std::memset(&header, 0, sizeof header);
  header.Machine = machine;
  header.NumberOfSections = 1;
  header.PointerToSymbolTable = static_cast<std::uint32_t>(kDataAt + data.size());
  header.NumberOfSymbols = 2; // the section symbol and its auxiliary record

  coff_section section;
  std::memset(&section, 0, sizeof section);
  static_assert(sizeof ".pkgnote" - 1 == COFF::NameSize); // fills the field, no NUL
  std::memcpy(section.Name, ".pkgnote", COFF::NameSize);
  section.SizeOfRawData = static_cast<std::uint32_t>(data.size());
  section.PointerToRawData = kDataAt;
  section.Characteristics = COFF::IMAGE_SCN_CNT_INITIALIZED_DATA | COFF::IMAGE_SCN_MEM_READ |
                            (wide ? COFF::IMAGE_SCN_ALIGN_8BYTES : COFF::IMAGE_SCN_ALIGN_4BYTES);

  coff_symbol16 symbol;
  std::memset(&symbol, 0, sizeof symbol);
  std::memcpy(symbol.Name.ShortName, ".pkgnote", COFF::NameSize);
  symbol.SectionNumber = 1;
  symbol.Type = COFF::IMAGE_SYM_TYPE_NULL;
  symbol.StorageClass = COFF::IMAGE_SYM_CLASS_STATIC;
  symbol.NumberOfAuxSymbols = 1;

  coff_aux_section_definition definition;
  std::memset(&definition, 0, sizeof definition);
  definition.Length = static_cast<std::uint32_t>(data.size());

  std::string out;
  append(out, header);
  append(out, section);
  out += data;
  append(out, symbol);
  append(out, definition);
  append(out, llvm::support::ulittle32_t(4)); // the string table: its size field alone
  return out;
}

} // namespace pkgnote
