// SPDX-License-Identifier: MIT
// elfType from e_type with the loader's view of PIEs, over the four ELF classes: ET_DYN is an
// executable with PT_INTERP (a PIE) or with DF_1_PIE in DT_FLAGS_1 (a static PIE, which has no
// interpreter: qemu-aarch64-static), otherwise a shared object. Inputs are built with yaml2obj.
#include "pkgnote/elf_reader.h"

#include "elf_image.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace pkgnote;
using namespace pkgnote::testing;

struct Class {
  const char *elfClass, *data, *machine;
};

class ElfKindAllClasses : public ::testing::TestWithParam<Class> {
protected:
  // An ELF file of TYPE; DYNAMIC (yaml2obj's Entries, may be empty) makes a .dynamic section under
  // a PT_DYNAMIC; INTERP adds a PT_INTERP.
  std::string file(const char *type, const std::string &dynamic, bool interp = false) const {
    std::string yaml = std::string("--- !ELF\nFileHeader:\n  Class: ") + GetParam().elfClass +
                       "\n  Data: " + GetParam().data + "\n  Type: " + type +
                       "\n  Machine: " + GetParam().machine + "\nSections:\n";
    if (interp)
      yaml += "  - Name: .interp\n    Type: SHT_PROGBITS\n    Flags: [ SHF_ALLOC ]\n"
              "    Content: 2f6c6400\n";
    if (!dynamic.empty())
      yaml += "  - Name: .dynamic\n    Type: SHT_DYNAMIC\n    Flags: [ SHF_ALLOC, SHF_WRITE ]\n"
              "    Entries:\n" +
              dynamic;
    yaml += "ProgramHeaders:\n";
    if (interp)
      yaml += "  - Type: PT_INTERP\n    FirstSec: .interp\n    LastSec: .interp\n";
    if (!dynamic.empty())
      yaml += "  - Type: PT_DYNAMIC\n    FirstSec: .dynamic\n    LastSec: .dynamic\n";
    if (!interp && dynamic.empty())
      yaml += "  - Type: PT_LOAD\n";
    return yamlToElf(yaml);
  }
  static std::string entry(const char *tag, const char *value) {
    return std::string("      - Tag: ") + tag + "\n        Value: " + value + "\n";
  }
  static ElfKind kindOf(const std::string &bytes) {
    Result<FileReport> report = readElfImage(bytes, "input");
    EXPECT_TRUE(report) << report.error().message;
    return report ? report->kind : ElfKind::Other;
  }
};

TEST_P(ElfKindAllClasses, StaticPieWithPieFlagIsAnExecutable) {
  // DF_1_NOW | DF_1_PIE, as gcc -static-pie links qemu-aarch64-static.
  std::string bytes = file("ET_DYN", entry("DT_FLAGS", "0x8") + entry("DT_FLAGS_1", "0x8000001") +
                                         entry("DT_NULL", "0"));
  EXPECT_EQ(kindOf(bytes), ElfKind::Executable);
  EXPECT_EQ(elfKindName(kindOf(bytes)), "executable");
}

TEST_P(ElfKindAllClasses, PieWithInterpreterIsAnExecutable) {
  EXPECT_EQ(kindOf(file("ET_DYN", entry("DT_NULL", "0"), /*interp=*/true)), ElfKind::Executable);
}

TEST_P(ElfKindAllClasses, SharedObjectWithoutPieFlagIsASharedObject) {
  EXPECT_EQ(kindOf(file("ET_DYN", entry("DT_FLAGS_1", "0x1") + entry("DT_NULL", "0"))),
            ElfKind::SharedObject);
  EXPECT_EQ(kindOf(file("ET_DYN", "")), ElfKind::SharedObject);
}

TEST_P(ElfKindAllClasses, PieFlagAfterNullEntryIsNotRead) {
  // The table ends at DT_NULL; what follows is padding, as the loader sees it.
  EXPECT_EQ(kindOf(file("ET_DYN", entry("DT_NULL", "0") + entry("DT_FLAGS_1", "0x8000000"))),
            ElfKind::SharedObject);
}

TEST_P(ElfKindAllClasses, OtherTypesFollowETypeAlone) {
  // DF_1_PIE in an ET_EXEC changes nothing; ET_REL and ET_CORE are what e_type says.
  EXPECT_EQ(kindOf(file("ET_EXEC", entry("DT_FLAGS_1", "0x8000000") + entry("DT_NULL", "0"))),
            ElfKind::Executable);
  EXPECT_EQ(kindOf(file("ET_EXEC", "")), ElfKind::Executable);
  EXPECT_EQ(kindOf(file("ET_REL", "")), ElfKind::Relocatable);
}

TEST_P(ElfKindAllClasses, DynamicSegmentPastEndOfFileLeavesASharedObject) {
  // A PT_DYNAMIC that points outside the file: the kind is a description, not a reason to fail.
  std::string yaml = std::string("--- !ELF\nFileHeader:\n  Class: ") + GetParam().elfClass +
                     "\n  Data: " + GetParam().data +
                     "\n  Type: ET_DYN\n  Machine: " + GetParam().machine +
                     "\nProgramHeaders:\n  - Type: PT_DYNAMIC\n    Offset: 0x100000\n"
                     "    FileSize: 0x40\n";
  EXPECT_EQ(kindOf(yamlToElf(yaml)), ElfKind::SharedObject);
}

INSTANTIATE_TEST_SUITE_P(Classes, ElfKindAllClasses,
                         ::testing::Values(Class{"ELFCLASS32", "ELFDATA2LSB", "EM_386"},
                                           Class{"ELFCLASS32", "ELFDATA2MSB", "EM_PPC"},
                                           Class{"ELFCLASS64", "ELFDATA2LSB", "EM_AARCH64"},
                                           Class{"ELFCLASS64", "ELFDATA2MSB", "EM_S390"}),
                         [](const ::testing::TestParamInfo<Class> &info) {
                           return std::string(info.param.machine + 3);
                         });

} // namespace
