// SPDX-License-Identifier: MIT
// The ELF reader over inputs built in memory from YAML with LLVM's yaml2obj library, for all four
// ELF32/64 x LE/BE, and over malformed inputs, each with its exact message (like LLVM's
// llvm-readobj invalid-*.test).
#include "pkgnote/elf_reader.h"
#include "pkgnote/payload_json.h"

#include "elf_image.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using namespace pkgnote;
using namespace pkgnote::testing;

struct Variant {
  const char *elfClass, *data, *machine, *architecture;
  bool bigEndian;
};

class ElfReaderAllClasses : public ::testing::TestWithParam<Variant> {
protected:
  Image image() const {
    Image result;
    result.elfClass = GetParam().elfClass;
    result.data = GetParam().data;
    result.machine = GetParam().machine;
    return result;
  }
  std::string note(const std::string &name, std::uint32_t type, const std::string &desc) const {
    return noteHex(GetParam().bigEndian, name, type, desc);
  }
};

void expectHelloPackage(const PackageMetadata &metadata) {
  std::vector<std::pair<std::string, std::string>> expected = {{"type", "deb"},
                                                               {"name", "hello"},
                                                               {"version", "2.10-3"},
                                                               {"architecture", "s390x"},
                                                               {"x-extra", "é"}};
  EXPECT_EQ(metadata.fields, expected);
}

TEST_P(ElfReaderAllClasses, ReadsPackageAndBuildIdFromNoteSegment) {
  Image input = image();
  input.content = note(kGnu, 3, "\x01\x23\xab\xcd") + note(kFdo, 0xcafe1a7e, kPayload + '\0');
  Result<FileReport> report = readElfImage(input.bytes(), "in.so");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->path, "in.so");
  EXPECT_EQ(report->kind, ElfKind::SharedObject);
  EXPECT_EQ(report->elfArchitecture, GetParam().architecture);
  EXPECT_EQ(report->buildId, "0123abcd");
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
  EXPECT_EQ(report->packages[0].offset, 0x1000u + 16 + 4);
  EXPECT_TRUE(report->warnings.empty());
  EXPECT_TRUE(report->modules.empty());
}

TEST_P(ElfReaderAllClasses, FindsNoteThroughPtNoteWithoutSectionHeaders) {
  Image input = image();
  input.sectionHeaders = false;
  input.content = note(kFdo, 0xcafe1a7e, kPayload + '\0');
  std::string bytes = input.bytes();
  Result<FileReport> report = readElfImage(bytes, "stripped");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
}

// eu-strip -f keeps the stripped file's program headers in the .debug file, so its PT_NOTE
// points at bytes that are no longer the notes (here: the ELF header itself); the notes are read
// from the SHT_NOTE section, without a warning, as readelf -n reads them.
TEST_P(ElfReaderAllClasses, ReadsSectionsWhenNoteSegmentPointsAtOtherBytes) {
  Image input = image();
  input.content = note(kGnu, 3, "\x01\x23\xab\xcd") + note(kFdo, 0xcafe1a7e, kPayload + '\0');
  input.segmentExtra = "    Offset: 0x0\n";
  Result<FileReport> report = readElfImage(input.bytes(), "app.debug");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->buildId, "0123abcd");
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
  EXPECT_EQ(report->packages[0].offset, 0x1000u + 16 + 4);
  EXPECT_TRUE(report->warnings.empty());
}

// Past the end of the file, the same: the section holds the notes.
TEST_P(ElfReaderAllClasses, ReadsSectionsWhenNoteSegmentIsPastEndOfFile) {
  Image input = image();
  input.content = note(kFdo, 0xcafe1a7e, kPayload + '\0');
  input.segmentExtra = "    FileSize: 0x100000\n";
  Result<FileReport> report = readElfImage(input.bytes(), "app.debug");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
}

TEST_P(ElfReaderAllClasses, FindsNoteInSectionsOfRelocatableObject) {
  Image input = image();
  input.type = "ET_REL";
  input.segments = false;
  input.content = note(kFdo, 0xcafe1a7e, kPayload + '\0');
  Result<FileReport> report = readElfImage(input.bytes(), "a.o");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->kind, ElfKind::Relocatable);
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
}

TEST_P(ElfReaderAllClasses, FindsNoteByOwnerAndTypeNotBySectionName) {
  Image input = image();
  input.sectionName = ".note.renamed";
  input.content = note(kFdo, 0xcafe1a7e, kPayload + '\0');
  Result<FileReport> report = readElfImage(input.bytes(), "renamed");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->packages.size(), 1u);
}

TEST_P(ElfReaderAllClasses, IgnoresOtherOwnersAndTypes) {
  Image input = image();
  input.content = note(std::string("FDO2\0", 5), 0xcafe1a7e, kPayload) +
                  note(std::string("FDO", 3), 0xcafe1a7e, kPayload) +
                  note(kFdo, 0xcafe1a7f, kPayload) + note(kGnu, 1, "abcd");
  Result<FileReport> report = readElfImage(input.bytes(), "others");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->packages.empty());
  EXPECT_EQ(report->buildId, "");
  EXPECT_FALSE(report->stamped());
}

TEST_P(ElfReaderAllClasses, ReportsSecondPackageNoteAsExtraWithWarning) {
  Image input = image();
  input.content = note(kFdo, 0xcafe1a7e, kPayload + '\0') +
                  note(kFdo, 0xcafe1a7e, std::string(R"({"type":"rpm"})") + '\0');
  Result<FileReport> report = readElfImage(input.bytes(), "two");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 2u);
  expectHelloPackage(report->packages[0].metadata);
  EXPECT_EQ(*report->packages[1].metadata.type(), "rpm");
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_EQ(report->warnings[0], "2 different package notes, the first is reported as the package");
}

// glibc's ld.so carries three identical notes on Wolfi and Ubuntu (package-notes issue 48): one
// package, no warning. A different third note is still reported, after the first two.
TEST_P(ElfReaderAllClasses, CountsIdenticalPackageNotesOnce) {
  Image input = image();
  std::string same = note(kFdo, 0xcafe1a7e, kPayload + '\0');
  input.content = same + same + same;
  Result<FileReport> report = readElfImage(input.bytes(), "three");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
  EXPECT_TRUE(report->warnings.empty());
  input.content = same + same + note(kFdo, 0xcafe1a7e, std::string(R"({"type":"rpm"})") + '\0');
  report = readElfImage(input.bytes(), "mixed");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 2u);
  EXPECT_EQ(*report->packages[1].metadata.type(), "rpm");
  ASSERT_EQ(report->warnings.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Classes, ElfReaderAllClasses,
    ::testing::Values(Variant{"ELFCLASS32", "ELFDATA2LSB", "EM_386", "Intel 80386", false},
                      Variant{"ELFCLASS32", "ELFDATA2MSB", "EM_PPC", "PowerPC", true},
                      Variant{"ELFCLASS64", "ELFDATA2LSB", "EM_AARCH64", "AARCH64", false},
                      Variant{"ELFCLASS64", "ELFDATA2MSB", "EM_S390", "IBM S/390", true}),
    [](const ::testing::TestParamInfo<Variant> &info) {
      return std::string(info.param.machine + 3);
    });

std::string onePackage(bool bigEndian = false) {
  return noteHex(bigEndian, kFdo, 0xcafe1a7e, kPayload + '\0');
}

TEST(ElfReader, AcceptsDescszCountingPaddingAsGnuLdWrites) {
  Image input;
  // kPayload + NUL is 0x5a bytes: GNU ld 2.40 says 0x5c, the padded length.
  input.content = noteHex(false, kFdo, 0xcafe1a7e, kPayload + '\0', 4, (kPayload.size() + 4) & ~3);
  Result<FileReport> report = readElfImage(input.bytes(), "gnu-ld");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  expectHelloPackage(report->packages[0].metadata);
}

TEST(ElfReader, WalksEightByteAlignedNoteSegments) {
  Image input;
  input.align = 8;
  // A 5-byte owner puts the next desc at 24 with 8-byte alignment, at 20 with 4.
  input.content = noteHex(false, std::string("GNUX\0", 5), 5, "abcdefgh", 8) +
                  noteHex(false, kFdo, 0xcafe1a7e, kPayload + '\0', 8);
  Result<FileReport> report = readElfImage(input.bytes(), "aligned8");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(report->packages[0].offset, 0x1000u + 32);
}

// elfutils' testfile2: a 32-bit big-endian PowerPC executable whose PT_NOTE and note section
// claim alignment 16. elfutils (libelf: ELF_T_NHDR8 for alignment 8 alone) reads them at 4.
Image testfile2Like(std::string content) {
  Image input;
  input.elfClass = "ELFCLASS32";
  input.data = "ELFDATA2MSB";
  input.machine = "EM_PPC";
  input.type = "ET_EXEC";
  input.sectionName = ".note.ABI-tag";
  input.align = 16;
  input.content = std::move(content);
  return input;
}

// NT_GNU_ABI_TAG: Linux 2.2.5, as glibc's crt1.o carries it.
std::string abiTagNote() {
  return noteHex(true, kGnu, 1, std::string("\0\0\0\0\0\0\0\2\0\0\0\2\0\0\0\5", 16));
}

TEST(ElfReader, SixteenAlignedNoteSegmentWithoutPackageNoteIsUnstamped) {
  Result<FileReport> report = readElfImage(testfile2Like(abiTagNote()).bytes(), "testfile2");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->kind, ElfKind::Executable);
  EXPECT_EQ(report->elfArchitecture, "PowerPC");
  EXPECT_TRUE(report->packages.empty());
  EXPECT_TRUE(report->warnings.empty());
  EXPECT_FALSE(report->stamped());
}

TEST(ElfReader, SixteenAlignedNoteSegmentIsWalkedAtFour) {
  // A 5-byte owner puts the next desc at 20 when notes are 4-aligned, at 32 when 16-aligned: only
  // the 4-aligned walk finds the package note at 0x1000 + 32 + 24.
  Image input = testfile2Like(abiTagNote() + noteHex(true, std::string("GNUX\0", 5), 5, "abcd") +
                              noteHex(true, kFdo, 0xcafe1a7e, kPayload + '\0'));
  Result<FileReport> report = readElfImage(input.bytes(), "align16");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(report->packages[0].offset, 0x1000u + 32 + 24);
  expectHelloPackage(report->packages[0].metadata);
  EXPECT_TRUE(report->warnings.empty());
}

TEST(ElfReader, PieWithInterpreterIsAnExecutable) {
  std::string yaml = "--- !ELF\nFileHeader:\n  Class: ELFCLASS64\n  Data: ELFDATA2LSB\n"
                     "  Type: ET_DYN\n  Machine: EM_RISCV\nSections:\n"
                     "  - Name: .interp\n    Type: SHT_PROGBITS\n    Flags: [ SHF_ALLOC ]\n"
                     "    Content: 2f6c6400\nProgramHeaders:\n  - Type: PT_INTERP\n"
                     "    FirstSec: .interp\n    LastSec: .interp\n";
  Result<FileReport> report = readElfImage(yamlToElf(yaml), "pie");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->kind, ElfKind::Executable);
  EXPECT_EQ(report->elfArchitecture, "RISC-V");
  EXPECT_TRUE(report->packages.empty());
}

TEST(ElfReaderMalformed, CorruptPayloadIsAnErrorNotAMissingNote) {
  Image input;
  input.content = noteHex(false, kFdo, 0xcafe1a7e, std::string("{\"type\":") + '\0');
  Result<FileReport> report = readElfImage(input.bytes(), "bad-json");
  ASSERT_FALSE(report);
  Result<PackageMetadata> parsed = parsePayloadJson("{\"type\":");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(report.error().message,
            "'bad-json': package note at 0x1000: " + parsed.error().message);
}

TEST(ElfReaderMalformed, DescszPastEndOfSegment) {
  Image input;
  input.content = noteHex(false, kFdo, 0xcafe1a7e, "{}", 4, 0x1000);
  Result<FileReport> report = readElfImage(input.bytes(), "long-desc");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "'long-desc': note segment 0: note at 0x1000: namesz 0x4 "
                                    "descsz 0x1000 extends past its end (0x14)");
}

TEST(ElfReaderMalformed, NamesizeNearFourGigabytesDoesNotWrap) {
  Image input;
  input.content = noteHex(false, kFdo, 0xcafe1a7e, "{}", 4);
  std::string bytes = input.bytes();
  std::memcpy(&bytes[0x1000], "\xfd\xff\xff\xff", 4); // namesz 0xfffffffd
  Result<FileReport> report = readElfImage(bytes, "huge-name");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "'huge-name': note segment 0: note at 0x1000: namesz "
                                    "0xfffffffd descsz 0x2 extends past its end (0x14)");
}

// Without section headers there is nothing to fall back on: the segment's error stands.
TEST(ElfReaderMalformed, NoteSegmentPastEndOfFile) {
  Image input;
  input.sectionHeaders = false;
  input.content = onePackage();
  input.segmentExtra = "    FileSize: 0x100000\n";
  std::string bytes = input.bytes();
  Result<FileReport> report = readElfImage(bytes, "short");
  ASSERT_FALSE(report);
  char size[32];
  std::snprintf(size, sizeof size, "%#zx", bytes.size());
  EXPECT_EQ(report.error().message, std::string("'short': note segment 0 at 0x1000+0x100000 "
                                                "extends past end of file (") +
                                        size + ")");
}

TEST(ElfReaderMalformed, NoteSegmentOffsetOverflows) {
  Image input;
  input.sectionHeaders = false;
  input.content = onePackage();
  std::string bytes = input.bytes();
  // The first program header is at 0x40: p_offset at +8, p_filesz at +32 (ELF64LE).
  std::memcpy(&bytes[0x48], "\x00\xff\xff\xff\xff\xff\xff\xff", 8);
  std::memcpy(&bytes[0x60], "\x00\x02\x00\x00\x00\x00\x00\x00", 8);
  Result<FileReport> report = readElfImage(bytes, "wrap");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message.rfind("'wrap': note segment 0 at 0xffffffffffffff00+0x200 "
                                         "extends past end of file (",
                                         0),
            0u)
      << report.error().message;
}

TEST(ElfReaderMalformed, TruncatedElfHeader) {
  Image input;
  input.content = onePackage();
  std::string bytes = input.bytes().substr(0, 20);
  Result<FileReport> report = readElfImage(bytes, "cut");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message,
            "'cut': ELF header at 0x0+0x40 extends past end of file (0x14)");
}

TEST(ElfReaderMalformed, ProgramHeadersPastEndOfFile) {
  Image input;
  input.content = onePackage();
  std::string bytes = input.bytes();
  bytes[56] = 0x00, bytes[57] = 0x01; // e_phnum 256
  Result<FileReport> report = readElfImage(bytes, "phnum");
  ASSERT_FALSE(report);
  char size[32];
  std::snprintf(size, sizeof size, "%#zx", bytes.size());
  EXPECT_EQ(report.error().message, std::string("'phnum': program headers at 0x40+0x3800 "
                                                "extends past end of file (") +
                                        size + ")");
}

TEST(ElfReaderMalformed, WrongProgramHeaderEntrySize) {
  Image input;
  input.content = onePackage();
  std::string bytes = input.bytes();
  bytes[54] = 0x20; // e_phentsize
  Result<FileReport> report = readElfImage(bytes, "phentsize");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "'phentsize': e_phentsize 0x20 is not 0x38");
}

TEST(ElfReaderMalformed, UnknownElfClass) {
  Image input;
  input.content = onePackage();
  std::string bytes = input.bytes();
  bytes[4] = 3;
  Result<FileReport> report = readElfImage(bytes, "class3");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "'class3': unknown ELF class 0x3 or data encoding 0x1");
}

TEST(ElfReaderMalformed, NotElfIsNamed) {
  Result<FileReport> report = readElfImage("#!/bin/sh\n", "script");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message, "'script': not an ELF file");
}

} // namespace
