// SPDX-License-Identifier: MIT
// The stamp planner's "move" layout (DT_ tables followed by text move to the free end of the
// first segment: GNU ld without -z separate-code, aarch64/s390x shared objects) and the static
// programs' "tail" layout (32-bit: the build-id stays in the first page, .note.ABI-tag moves
// under the package note's PT_NOTE; 64-bit, where the build-id would leave it: "segment"), for
// all four ELF32/64 x LE/BE, built with yaml2obj; exact offsets, sizes and tags.
#include "pkgnote/elf_reader.h"
#include "pkgnote/note_encoding.h"
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
const std::string kLonger = R"({"type":"deb","name":"t","version":"1.0-2+a.longer.version"})";

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

Result<StampPlan> plan(const std::string &bytes, const std::string &json = kJson) {
  StampReader read = [&](std::uint64_t offset, std::size_t size, std::uint8_t *out) {
    if (offset > bytes.size() || size > bytes.size() - offset)
      return false;
    std::memcpy(out, bytes.data() + offset, size);
    return true;
  };
  return planStamp(read, bytes.size(), json, {}, "in");
}

std::uint64_t alignTo(std::uint64_t value, std::uint64_t align) {
  return (value + align - 1) / align * align;
}

template <class ELFT> struct Front {
  static constexpr bool is64 = ELFT::Is64Bits;
  static constexpr bool big = ELFT::TargetEndianness == llvm::support::big;
  static constexpr std::uint64_t header = is64 ? 64 : 52, phent = is64 ? 56 : 32;
  // [header][PHNUM program headers][build-id 0x24]([ABI-tag 0x20])[TABLE][text], one R E
  // PT_LOAD, then a RW PT_LOAD 64 KiB further in memory. Dynamic: TABLE is a DT_STRTAB .dynstr
  // of 0x100 bytes. Static: TABLE is a .rela.plt nothing but code references, and the text
  // runs past the first page.
  static std::string yaml(bool dynamic, std::uint64_t &table, std::uint64_t &text) {
    std::uint64_t phnum = dynamic ? 5 : 4;
    std::uint64_t buildId = header + phnum * phent;
    std::uint64_t notesEnd = buildId + 0x24 + (dynamic ? 0 : 0x20);
    table = dynamic ? notesEnd : alignTo(notesEnd, is64 ? 8 : 4);
    text = alignTo(table + (dynamic ? 0x100 : 0x18), 16);
    std::string y = std::string("--- !ELF\nFileHeader:\n  Class: ") +
                    (is64 ? "ELFCLASS64" : "ELFCLASS32") +
                    "\n  Data: " + (big ? "ELFDATA2MSB" : "ELFDATA2LSB") +
                    "\n  Type: " + (dynamic ? "ET_DYN" : "ET_EXEC") +
                    "\n  Machine: " + (big ? "EM_S390" : "EM_AARCH64") + "\n  Entry: " + hex(text) +
                    "\nProgramHeaders:\n"
                    "  - Type: PT_LOAD\n    Flags: [ PF_R, PF_X ]\n    Offset: 0\n    VAddr: 0\n"
                    "    FirstSec: .note.gnu.build-id\n    LastSec: .text\n    Align: 0x10000\n"
                    "  - Type: PT_LOAD\n    Flags: [ PF_R, PF_W ]\n    FirstSec: .data\n"
                    "    LastSec: .data\n    VAddr: 0x20000\n    Align: 0x10000\n";
    if (dynamic)
      y += "  - Type: PT_DYNAMIC\n    Flags: [ PF_R, PF_W ]\n    FirstSec: .data\n"
           "    LastSec: .data\n    VAddr: 0x20000\n";
    y += std::string("  - Type: PT_NOTE\n    Flags: [ PF_R ]\n    FirstSec: .note.gnu.build-id\n"
                     "    LastSec: ") +
         (dynamic ? ".note.gnu.build-id" : ".note.ABI-tag") + "\n    VAddr: " + hex(buildId) +
         "\n    Align: 4\n  - Type: PT_GNU_STACK\n    Flags: [ PF_R, PF_W ]\nSections:\n"
         "  - Name: .note.gnu.build-id\n    Type: SHT_NOTE\n    Flags: [ SHF_ALLOC ]\n"
         "    Offset: " +
         hex(buildId) + "\n    Address: " + hex(buildId) + "\n    AddressAlign: 4\n    Content: " +
         noteHex(big, kGnu, NT_GNU_BUILD_ID, "0123456789abcdefghij") + "\n";
    if (!dynamic)
      y += "  - Name: .note.ABI-tag\n    Type: SHT_NOTE\n    Flags: [ SHF_ALLOC ]\n"
           "    AddressAlign: 4\n    Content: " +
           noteHex(big, kGnu, NT_GNU_ABI_TAG, "abcdefghijklmnop") + "\n";
    y += std::string("  - Name: ") + (dynamic ? ".dynstr" : ".rela.plt") +
         "\n    Type: " + (dynamic ? "SHT_STRTAB" : "SHT_RELA") +
         "\n    Flags: [ SHF_ALLOC ]\n    Offset: " + hex(table) + "\n    Address: " + hex(table) +
         "\n    AddressAlign: " + (dynamic ? "1" : (is64 ? "8" : "4")) +
         "\n    Size: " + (dynamic ? "0x100" : "0x18") +
         "\n  - Name: .text\n    Type: SHT_PROGBITS\n    Flags: [ SHF_ALLOC, SHF_EXECINSTR ]\n"
         "    Offset: " +
         hex(text) + "\n    Address: " + hex(text) +
         "\n    AddressAlign: 16\n    Size: " + (dynamic ? "0x40" : "0x1400") +
         "\n  - Name: .data\n    Type: " + (dynamic ? "SHT_DYNAMIC" : "SHT_PROGBITS") +
         "\n    Flags: [ SHF_ALLOC, SHF_WRITE ]\n    Offset: 0x10000\n    Address: 0x20000\n"
         "    AddressAlign: 8\n";
    if (dynamic)
      y +=
          "    Entries:\n      - Tag: DT_STRTAB\n        Value: " + hex(table) +
          "\n      - Tag: DT_STRSZ\n        Value: 0x100\n      - Tag: DT_NULL\n        Value: 0\n";
    else
      y += "    Size: 0x10\n";
    return y;
  }
};

template <class ELFT> class StampLayouts : public ::testing::Test {};
using Classes = ::testing::Types<llvm::object::ELF32LE, llvm::object::ELF32BE,
                                 llvm::object::ELF64LE, llvm::object::ELF64BE>;
TYPED_TEST_SUITE(StampLayouts, Classes);

template <class ELFT>
const typename ELFT::Shdr &sectionNamed(const llvm::object::ELFFile<ELFT> &file,
                                        const std::string &name) {
  auto sections = file.sections();
  for (const auto &section : *sections)
    if (*file.getSectionName(section) == name)
      return section;
  ADD_FAILURE() << "no section " << name;
  return sections->front();
}

TYPED_TEST(StampLayouts, MovesDynamicTablesFollowedByText) {
  using F = Front<TypeParam>;
  std::uint64_t table = 0, text = 0;
  std::string original = yamlToElf(F::yaml(true, table, text));
  Result<StampPlan> result = plan(original);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome.layout, "move");
  EXPECT_TRUE(result->outcome.noteInFirstPage);
  EXPECT_FALSE(result->outcome.buildIdLeftFirstPage);
  std::string stamped = applyStampPlan(original, *result);
  auto file = *llvm::object::ELFFile<TypeParam>::create(stamped);
  auto headers = file.program_headers();
  ASSERT_TRUE(static_cast<bool>(headers));
  auto phdrs = *headers;
  ASSERT_EQ(phdrs.size(), 6u);
  std::uint64_t oldEnd = text + 0x40, moved = oldEnd - table; // .dynstr's alignment is 1
  std::uint64_t tableEnd = F::header + 6 * F::phent;
  std::vector<std::uint8_t> note = encodePackageNote(kJson, F::big ? Endian::Big : Endian::Little);
  EXPECT_EQ(phdrs[0].p_filesz, oldEnd + 0x100);
  EXPECT_EQ(phdrs[0].p_memsz, oldEnd + 0x100);
  EXPECT_EQ(phdrs[3].p_type, PT_NOTE); // the build-id right after the grown table
  EXPECT_EQ(phdrs[3].p_offset, tableEnd);
  EXPECT_EQ(phdrs[3].p_vaddr, tableEnd);
  EXPECT_EQ(phdrs[3].p_filesz, 0x24u);
  EXPECT_EQ(phdrs[4].p_type, PT_NOTE); // the package note after it
  EXPECT_EQ(phdrs[4].p_offset, tableEnd + 0x24);
  EXPECT_EQ(phdrs[4].p_filesz, note.size());
  EXPECT_EQ(stamped.substr(tableEnd + 0x24, note.size()), std::string(note.begin(), note.end()));
  const auto &dynstr = sectionNamed(file, ".dynstr");
  EXPECT_EQ(dynstr.sh_offset, table + moved);
  EXPECT_EQ(dynstr.sh_addr, table + moved);
  EXPECT_EQ(stamped.substr(dynstr.sh_offset, 0x100), original.substr(table, 0x100));
  const auto &code = sectionNamed(file, ".text");
  EXPECT_EQ(code.sh_offset, text); // the text did not move
  EXPECT_EQ(stamped.substr(text, 0x40), original.substr(text, 0x40));
  auto entries = file.dynamicEntries();
  ASSERT_TRUE(static_cast<bool>(entries));
  for (const auto &entry : *entries)
    if (entry.d_tag == DT_STRTAB) {
      EXPECT_EQ(entry.d_un.d_ptr, table + moved);
    }
  Result<FileReport> report = readElfImage(stamped, "out");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(report->buildId, "303132333435363738396162636465666768696a");
  Result<StampPlan> again = plan(stamped);
  ASSERT_TRUE(again);
  EXPECT_EQ(applyStampPlan(stamped, *again), stamped); // idempotent
}

TYPED_TEST(StampLayouts, StaticProgramNotesGoToTheTail) {
  using F = Front<TypeParam>;
  std::uint64_t table = 0, text = 0;
  std::string original = yamlToElf(F::yaml(false, table, text));
  Result<StampPlan> result = plan(original);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_FALSE(result->outcome.noteInFirstPage);
  EXPECT_FALSE(result->outcome.buildIdLeftFirstPage);
  if (F::is64) {
    // 64-bit: the build-id's block would have to leave the first page: a new segment instead,
    // and the first segment keeps every byte but the ELF header's.
    EXPECT_EQ(result->outcome.layout, "segment");
    std::string stamped = applyStampPlan(original, *result);
    EXPECT_EQ(stamped.substr(F::header, text + 0x1400 - F::header),
              original.substr(F::header, text + 0x1400 - F::header));
    Result<FileReport> report = readElfImage(stamped, "out");
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->packages.size(), 1u);
    EXPECT_EQ(report->buildId, "303132333435363738396162636465666768696a");
    Result<StampPlan> longer = plan(stamped, kLonger);
    ASSERT_TRUE(longer) << longer.error().message;
    EXPECT_EQ(longer->outcome.layout, "segment");
    std::string relonged = applyStampPlan(stamped, *longer);
    Result<StampPlan> back = plan(relonged);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(applyStampPlan(relonged, *back), stamped);
    return;
  }
  EXPECT_EQ(result->outcome.layout, "tail");
  std::string stamped = applyStampPlan(original, *result);
  auto file = *llvm::object::ELFFile<TypeParam>::create(stamped);
  auto headers = file.program_headers();
  ASSERT_TRUE(static_cast<bool>(headers));
  auto phdrs = *headers;
  ASSERT_EQ(phdrs.size(), 5u);
  std::uint64_t oldEnd = text + 0x1400, tableEnd = F::header + 5 * F::phent;
  std::vector<std::uint8_t> note = encodePackageNote(kJson, F::big ? Endian::Big : Endian::Little);
  const auto &buildId = sectionNamed(file, ".note.gnu.build-id");
  const auto &abiTag = sectionNamed(file, ".note.ABI-tag");
  const auto &package = sectionNamed(file, ".note.package");
  EXPECT_EQ(phdrs[2].p_type, PT_NOTE);
  EXPECT_EQ(phdrs[3].p_type, PT_NOTE);
  // 32-bit: the build-id alone fits after the grown table; .note.ABI-tag and the package
  // note share the new PT_NOTE at the end of the segment.
  EXPECT_EQ(buildId.sh_offset, tableEnd);
  EXPECT_EQ(phdrs[2].p_offset, tableEnd);
  EXPECT_EQ(phdrs[2].p_filesz, 0x24u);
  EXPECT_EQ(abiTag.sh_offset, oldEnd);
  EXPECT_EQ(package.sh_offset, oldEnd + 0x20);
  EXPECT_EQ(phdrs[3].p_offset, oldEnd);
  EXPECT_EQ(phdrs[3].p_vaddr, oldEnd);
  EXPECT_EQ(phdrs[3].p_filesz, 0x20 + note.size());
  EXPECT_EQ(phdrs[0].p_filesz, package.sh_offset + note.size());
  EXPECT_EQ(phdrs[0].p_memsz, package.sh_offset + note.size());
  EXPECT_EQ(stamped.substr(package.sh_offset, note.size()), std::string(note.begin(), note.end()));
  EXPECT_EQ(stamped.substr(abiTag.sh_offset, 0x20),
            original.substr(F::header + 4 * F::phent + 0x24, 0x20));
  EXPECT_EQ(stamped.substr(table, 0x18), original.substr(table, 0x18)); // .rela.plt stayed
  EXPECT_EQ(stamped.substr(text, 0x1400), original.substr(text, 0x1400));
  Result<FileReport> report = readElfImage(stamped, "out");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(report->buildId, "303132333435363738396162636465666768696a");
  Result<StampPlan> again = plan(stamped);
  ASSERT_TRUE(again);
  EXPECT_EQ(applyStampPlan(stamped, *again), stamped);
  // Replaced by a longer note, then the original one, where it is: the segment, the package
  // note's PT_NOTE and its section follow its size.
  Result<StampPlan> longer = plan(stamped, kLonger);
  ASSERT_TRUE(longer) << longer.error().message;
  EXPECT_EQ(longer->outcome.layout, "tail");
  EXPECT_TRUE(longer->outcome.replacedNote);
  std::string relonged = applyStampPlan(stamped, *longer);
  std::vector<std::uint8_t> longNote =
      encodePackageNote(kLonger, F::big ? Endian::Big : Endian::Little);
  auto second = *llvm::object::ELFFile<TypeParam>::create(relonged);
  auto secondHeaders = second.program_headers();
  ASSERT_TRUE(static_cast<bool>(secondHeaders));
  auto grown = *secondHeaders;
  EXPECT_EQ(grown[0].p_filesz, package.sh_offset + longNote.size());
  EXPECT_EQ(grown[3].p_offset, phdrs[3].p_offset);
  EXPECT_EQ(grown[3].p_filesz, phdrs[3].p_filesz + longNote.size() - note.size());
  EXPECT_EQ(sectionNamed(second, ".note.package").sh_size, longNote.size());
  EXPECT_EQ(relonged.substr(package.sh_offset, longNote.size()),
            std::string(longNote.begin(), longNote.end()));
  Result<FileReport> longReport = readElfImage(relonged, "out");
  ASSERT_TRUE(longReport) << longReport.error().message;
  ASSERT_EQ(longReport->packages.size(), 1u);
  Result<StampPlan> back = plan(relonged);
  ASSERT_TRUE(back) << back.error().message;
  std::string shortened = applyStampPlan(relonged, *back);
  EXPECT_EQ(shortened.substr(0, package.sh_offset + note.size()),
            stamped.substr(0, package.sh_offset + note.size()));
}

} // namespace
