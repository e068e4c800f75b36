// SPDX-License-Identifier: MIT
// The stamp planner's header refusals, one per lying ELF header field, over all four
// ELF32/64 x LE/BE: read/'s readers read the headers, and each refusal keeps the message that
// names the field (e_phoff and e_phnum, not the reader's "extends past end of file").
#include "pkgnote/stamp.h"

#include "elf_image.h"

#include "llvm/Object/ELF.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using namespace pkgnote;
using namespace pkgnote::testing;
using namespace llvm::ELF;

const std::string kJson = R"({"type":"deb","name":"t","version":"1"})";

std::string refusal(const std::string &bytes) {
  StampReader read = [&](std::uint64_t offset, std::size_t size, std::uint8_t *out) {
    if (offset > bytes.size() || size > bytes.size() - offset)
      return false;
    std::memcpy(out, bytes.data() + offset, size);
    return true;
  };
  Result<StampPlan> plan = planStamp(read, bytes.size(), kJson, {}, "in");
  return plan ? "stamped" : plan.error().message;
}

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

template <class ELFT> class StampHeaderFields : public ::testing::Test {
protected:
  static constexpr bool is64 = ELFT::Is64Bits;
  static constexpr bool big = ELFT::TargetEndianness == llvm::support::big;
  // Where each field of the ELF header lies (gABI).
  static constexpr std::size_t kType = 16, kPhoff = is64 ? 32 : 28, kShoff = is64 ? 40 : 32,
                               kPhentsize = is64 ? 54 : 42, kPhnum = is64 ? 56 : 44,
                               kShentsize = is64 ? 58 : 46, kShnum = is64 ? 60 : 48,
                               kShstrndx = is64 ? 62 : 50;

  void SetUp() override {
    original = yamlToElf(std::string("--- !ELF\nFileHeader:\n  Class: ") +
                         (is64 ? "ELFCLASS64" : "ELFCLASS32") +
                         "\n  Data: " + (big ? "ELFDATA2MSB" : "ELFDATA2LSB") +
                         "\n  Type: ET_DYN\n  Machine: " + (big ? "EM_S390" : "EM_AARCH64") +
                         "\nProgramHeaders:\n"
                         "  - Type: PT_LOAD\n    Flags: [ PF_R, PF_X ]\n    Offset: 0\n"
                         "    FirstSec: .text\n    LastSec: .text\n    Align: 0x1000\n"
                         "Sections:\n"
                         "  - Name: .text\n    Type: SHT_PROGBITS\n"
                         "    Flags: [ SHF_ALLOC, SHF_EXECINSTR ]\n    Address: 0x200\n"
                         "    AddressAlign: 16\n    Content: \"c3\"\n");
    auto elf = llvm::object::ELFFile<ELFT>::create(original);
    ASSERT_TRUE(static_cast<bool>(elf));
    header = elf->getHeader();
  }

  // ORIGINAL with the SIZE-byte field at AT set to VALUE, in the file's byte order.
  std::string with(std::size_t at, std::size_t size, std::uint64_t value) const {
    std::string bytes = original;
    for (std::size_t i = 0; i < size; ++i)
      bytes[at + (big ? size - 1 - i : i)] = static_cast<char>((value >> (8 * i)) & 0xff);
    return bytes;
  }
  std::string with16(std::size_t at, std::uint64_t value) const { return with(at, 2, value); }
  std::string withOffset(std::size_t at, std::uint64_t value) const {
    return with(at, is64 ? 8 : 4, value);
  }
  std::string size() const { return std::to_string(original.size()) + " bytes)"; }

  std::string original;
  typename ELFT::Ehdr header;
};

using Classes = ::testing::Types<llvm::object::ELF32LE, llvm::object::ELF32BE,
                                 llvm::object::ELF64LE, llvm::object::ELF64BE>;
TYPED_TEST_SUITE(StampHeaderFields, Classes);

TYPED_TEST(StampHeaderFields, TheUntouchedFileIsStamped) {
  EXPECT_EQ(refusal(this->original), "stamped");
}

TYPED_TEST(StampHeaderFields, RefusesEachLyingProgramHeaderField) {
  using T = TestFixture;
  std::string phent = std::to_string(sizeof(typename TypeParam::Phdr));
  EXPECT_EQ(refusal(this->with16(T::kType, ET_CORE)),
            "'in': core file: only executables and shared objects are stamped");
  EXPECT_EQ(refusal(this->with16(T::kPhnum, 0)), "'in': no program headers");
  EXPECT_EQ(refusal(this->with16(T::kPhentsize, 1)), "'in': e_phentsize 1, expected " + phent);
  EXPECT_EQ(refusal(this->with16(T::kPhnum, 0xffff)),
            "'in': extended program header numbering (PN_XNUM) is not supported");
  // Inside the ELF header, which stamping rewrites: refused though the bytes are there.
  EXPECT_EQ(refusal(this->withOffset(T::kPhoff, 1)),
            "'in': program headers (e_phoff 0x1, e_phnum 1) lie outside the file (" + this->size());
  std::uint64_t late = this->original.size() - 8;
  EXPECT_EQ(refusal(this->withOffset(T::kPhoff, late)),
            "'in': program headers (e_phoff " + hex(late) + ", e_phnum 1) lie outside the file (" +
                this->size());
  EXPECT_EQ(refusal(this->with16(T::kPhnum, 0x4000)),
            "'in': program headers (e_phoff " + hex(this->header.e_phoff) +
                ", e_phnum 16384) lie outside the file (" + this->size());
}

TYPED_TEST(StampHeaderFields, RefusesEachLyingSectionHeaderField) {
  using T = TestFixture;
  std::string shent = std::to_string(sizeof(typename TypeParam::Shdr));
  std::string shoff = hex(this->header.e_shoff);
  std::string shnum = std::to_string(this->header.e_shnum);
  EXPECT_EQ(refusal(this->withOffset(T::kShoff, 0)),
            "'in': extended section numbering is not supported");
  EXPECT_EQ(refusal(this->with16(T::kShnum, 0)),
            "'in': extended section numbering is not supported");
  EXPECT_EQ(refusal(this->with16(T::kShentsize, 12)), "'in': e_shentsize 12, expected " + shent);
  std::uint64_t end = this->original.size();
  EXPECT_EQ(refusal(this->withOffset(T::kShoff, end)),
            "'in': section headers (e_shoff " + hex(end) + ", e_shnum " + shnum +
                ") lie outside the file (" + this->size());
  EXPECT_EQ(refusal(this->with16(T::kShnum, 2000)), "'in': section headers (e_shoff " + shoff +
                                                        ", e_shnum 2000) lie outside the file (" +
                                                        this->size());
  EXPECT_EQ(refusal(this->with16(T::kShstrndx, this->header.e_shnum)),
            "'in': e_shstrndx " + shnum + " names no section");
  EXPECT_EQ(refusal(this->with16(T::kShstrndx, 0)), "'in': e_shstrndx 0 names no section");
}

TYPED_TEST(StampHeaderFields, RefusesATruncatedHeaderWithTheFileSize) {
  std::size_t cut = TypeParam::Is64Bits ? 63 : 51;
  EXPECT_EQ(refusal(this->original.substr(0, cut)),
            "'in': truncated ELF header (" + std::to_string(cut) + " bytes)");
}

} // namespace
