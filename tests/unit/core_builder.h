// SPDX-License-Identifier: MIT
// Byte builders for the core reader's unit tests (core_reader_test.cpp, core_modules_test.cpp):
// ELF headers, program headers, notes and words of any of the four classes, written with
// libObject's endian-aware structs so that one template serves ELF32/64 x LE/BE.
#pragma once

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace pkgnote::testing {

using namespace llvm::ELF;

template <class T> void put(std::string &out, std::size_t at, const T &value) {
  if (out.size() < at + sizeof(T))
    out.resize(at + sizeof(T), '\0');
  std::memcpy(&out[at], &value, sizeof(T));
}

template <class ELFT> typename ELFT::Ehdr header(std::uint16_t type, std::uint16_t phnum) {
  typename ELFT::Ehdr e;
  std::memset(&e, 0, sizeof(e));
  std::memcpy(e.e_ident, ElfMagic, 4);
  e.e_ident[EI_CLASS] = ELFT::Is64Bits ? ELFCLASS64 : ELFCLASS32;
  e.e_ident[EI_DATA] = ELFT::TargetEndianness == llvm::support::little ? ELFDATA2LSB : ELFDATA2MSB;
  e.e_ident[EI_VERSION] = EV_CURRENT;
  e.e_type = type;
  e.e_machine = ELFT::Is64Bits ? EM_AARCH64 : EM_ARM;
  e.e_version = EV_CURRENT;
  e.e_phoff = sizeof(typename ELFT::Ehdr);
  e.e_ehsize = sizeof(typename ELFT::Ehdr);
  e.e_phentsize = sizeof(typename ELFT::Phdr);
  e.e_phnum = phnum;
  return e;
}

template <class ELFT>
typename ELFT::Phdr segment(std::uint32_t type, std::uint64_t offset, std::uint64_t vaddr,
                            std::uint64_t size, std::uint64_t memsz = 0, std::uint32_t flags = 0) {
  typename ELFT::Phdr p;
  std::memset(&p, 0, sizeof(p));
  p.p_type = type;
  p.p_flags = flags;
  p.p_offset = offset;
  p.p_vaddr = vaddr;
  p.p_filesz = size;
  p.p_memsz = memsz ? memsz : size;
  p.p_align = type == PT_NOTE ? 4 : 0x1000;
  return p;
}

template <class ELFT>
std::string note(const std::string &owner, std::uint32_t type, const std::string &desc) {
  typename ELFT::Nhdr n;
  n.n_namesz = owner.size() + 1;
  n.n_descsz = desc.size();
  n.n_type = type;
  std::string out(reinterpret_cast<const char *>(&n), sizeof(n));
  out += owner;
  out.resize((out.size() + 1 + 3) & ~std::size_t(3), '\0');
  out += desc;
  out.resize((out.size() + 3) & ~std::size_t(3), '\0');
  return out;
}

template <class ELFT> std::string words(const std::vector<std::uint64_t> &values) {
  std::string out;
  for (std::uint64_t value : values) {
    typename ELFT::Addr word; // endian-aware word of the class
    word = value;
    out.append(reinterpret_cast<const char *>(&word), sizeof(word));
  }
  return out;
}

} // namespace pkgnote::testing
