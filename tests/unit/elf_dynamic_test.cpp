// SPDX-License-Identifier: MIT
// `read --deps`'s reading of PT_DYNAMIC (read/elf_dynamic.h) over all four ELF classes and byte
// orders, from images yaml2obj builds: DT_NEEDED in order, DT_RUNPATH and DT_RPATH found through
// DT_STRTAB's PT_LOAD, a string past DT_STRSZ a warning rather than a failed read.
#include "io/byte_source.h"
#include "read/elf_bytes.h"

#include "elf_image.h"

#include <gtest/gtest.h>

namespace pkgnote::detail {
namespace {

struct Class {
  const char *elfClass, *data, *machine;
};

// "\0liba.so.1\0libb.so.2\0$ORIGIN/../lib\0/opt/old\0": offsets 1, 11, 21, 36; 45 bytes.
constexpr const char *kDynstr = "006c6962612e736f2e31006c6962622e736f2e3200244f524947494e2f2e2e"
                                "2f6c6962002f6f70742f6f6c6400";

std::string yaml(const Class &c, unsigned strsz, unsigned secondNeeded) {
  return std::string("--- !ELF\nFileHeader:\n  Class: ") + c.elfClass + "\n  Data: " + c.data +
         "\n  Type: ET_DYN\n  Machine: " + c.machine +
         "\nSections:\n"
         "  - Name: .dynstr\n    Type: SHT_STRTAB\n    Flags: [ SHF_ALLOC ]\n"
         "    Address: 0x1000\n    AddressAlign: 0x1000\n    Content: " +
         kDynstr +
         "\n  - Name: .dynamic\n    Type: SHT_DYNAMIC\n    Flags: [ SHF_ALLOC, SHF_WRITE ]\n"
         "    Address: 0x3000\n    AddressAlign: 0x1000\n    Entries:\n"
         "      - Tag: DT_STRTAB\n        Value: 0x1000\n"
         "      - Tag: DT_STRSZ\n        Value: " +
         std::to_string(strsz) +
         "\n      - Tag: DT_NEEDED\n        Value: 1\n"
         "      - Tag: DT_NEEDED\n        Value: " +
         std::to_string(secondNeeded) +
         "\n      - Tag: DT_RUNPATH\n        Value: 21\n"
         "      - Tag: DT_RPATH\n        Value: 36\n"
         "      - Tag: DT_NULL\n        Value: 0\n"
         "ProgramHeaders:\n"
         "  - Type: PT_LOAD\n    VAddr: 0x1000\n    Align: 0x1000\n"
         "    FirstSec: .dynstr\n    LastSec: .dynstr\n"
         "  - Type: PT_LOAD\n    VAddr: 0x3000\n    Align: 0x1000\n"
         "    FirstSec: .dynamic\n    LastSec: .dynamic\n"
         "  - Type: PT_DYNAMIC\n    VAddr: 0x3000\n    FirstSec: .dynamic\n    LastSec: .dynamic\n";
}

class ElfDynamicAllClasses : public ::testing::TestWithParam<Class> {};

FileReport readWithDependencies(const std::string &bytes) {
  MemoryByteSource source(bytes, "dyn");
  ReadOptions options;
  options.dependencies = true;
  auto report = readElfBytes(source, options, nullptr);
  EXPECT_TRUE(static_cast<bool>(report));
  if (!report) {
    llvm::consumeError(report.takeError());
    return {};
  }
  return **report;
}

TEST_P(ElfDynamicAllClasses, ReadsNeededRunpathAndRpath) {
  FileReport report = readWithDependencies(pkgnote::testing::yamlToElf(yaml(GetParam(), 45, 11)));
  ASSERT_TRUE(report.dependencies.has_value());
  EXPECT_EQ(report.dependencies->needed, (std::vector<std::string>{"liba.so.1", "libb.so.2"}));
  EXPECT_EQ(report.dependencies->runpath, "$ORIGIN/../lib");
  EXPECT_EQ(report.dependencies->rpath, "/opt/old");
  EXPECT_TRUE(report.warnings.empty());
}

TEST_P(ElfDynamicAllClasses, AStringPastStrszIsAWarning) {
  FileReport report = readWithDependencies(pkgnote::testing::yamlToElf(yaml(GetParam(), 45, 99)));
  ASSERT_TRUE(report.dependencies.has_value());
  EXPECT_TRUE(report.dependencies->needed.empty());
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0], "dynamic string at 0x63 is beyond DT_STRSZ 0x2d");
}

TEST_P(ElfDynamicAllClasses, NothingIsReadWithoutTheOption) {
  std::string bytes = pkgnote::testing::yamlToElf(yaml(GetParam(), 45, 11));
  MemoryByteSource source(bytes, "dyn");
  auto report = readElfBytes(source, ReadOptions{}, nullptr);
  ASSERT_TRUE(static_cast<bool>(report)) << llvm::toString(report.takeError());
  EXPECT_FALSE((*report)->dependencies.has_value());
}

INSTANTIATE_TEST_SUITE_P(Classes, ElfDynamicAllClasses,
                         ::testing::Values(Class{"ELFCLASS32", "ELFDATA2LSB", "EM_386"},
                                           Class{"ELFCLASS32", "ELFDATA2MSB", "EM_PPC"},
                                           Class{"ELFCLASS64", "ELFDATA2LSB", "EM_AARCH64"},
                                           Class{"ELFCLASS64", "ELFDATA2MSB", "EM_S390"}),
                         [](const ::testing::TestParamInfo<Class> &info) {
                           return std::string(info.param.machine + 3);
                         });

} // namespace
} // namespace pkgnote::detail
