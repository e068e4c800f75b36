// SPDX-License-Identifier: MIT
// Encodes the package note exactly as GNU ld's --package-metadata lays it out, except that descsz
// follows the gABI (the padding after the payload's NUL is not counted), as lld and the reference
// generator do. Byte order is a template parameter, as in LLVM's ELFType, so that both orders share
// one implementation.
#include "pkgnote/note_encoding.h"

#include "llvm/Support/Endian.h"

#include <cstddef>

namespace pkgnote {
namespace {

constexpr std::size_t alignTo4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

template <llvm::support::endianness E> std::vector<std::uint8_t> encode(std::string_view json) {
  // Owner "FDO" plus its NUL is exactly 4 bytes, so the name needs no padding.
  const std::size_t nameSize = kPackageNoteOwner.size() + 1;
  const std::size_t descSize = json.size() + 1;
  std::vector<std::uint8_t> bytes(12 + alignTo4(nameSize) + alignTo4(descSize), 0);

  std::uint8_t *out = bytes.data();
  llvm::support::endian::write32<E>(out, static_cast<std::uint32_t>(nameSize));
  llvm::support::endian::write32<E>(out + 4, static_cast<std::uint32_t>(descSize));
  llvm::support::endian::write32<E>(out + 8, kPackageNoteType);
  std::size_t offset = 12;
  for (char c : kPackageNoteOwner)
    bytes[offset++] = static_cast<std::uint8_t>(c);
  offset = 12 + alignTo4(nameSize);
  for (char c : json)
    bytes[offset++] = static_cast<std::uint8_t>(c);
  // The NUL terminator and the padding are already zero.
  return bytes;
}

} // namespace

std::vector<std::uint8_t> encodePackageNote(std::string_view json, Endian endian) {
  if (endian == Endian::Big)
    return encode<llvm::support::big>(json);
  return encode<llvm::support::little>(json);
}

} // namespace pkgnote
