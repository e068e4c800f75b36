// SPDX-License-Identifier: MIT
// Which modules the core reader lists, over cores built in memory for all four ELF32/64 x LE/BE
// classes: the vDSO from AT_SYSINFO_EHDR, named by its DT_SONAME; a module whose first mapping
// was not dumped, read from another mapping of its file at file offset 0 (once); a code mapping
// whose header and file are nowhere, listed by its NT_FILE path; a data file, not listed; a
// module whose program header table the core lacks (pkgnote stamp's "segment" layout), named
// through its file under the root only when the core's ELF header is the file's.
#include "pkgnote/elf_reader.h"

#include "core_builder.h"
#include "temp_dir.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace pkgnote {
namespace {

using namespace llvm::ELF;
using namespace pkgnote::testing;

const std::string kPayload = R"({"type":"deb","name":"guest","version":"1.0"})";
const std::string kBuildId = "\x01\x23\x45\x67\x89\xab\xcd\xef";

// A one-page image: PT_LOAD over itself, PT_NOTE at 0x100 (build-id, and the package note when
// STAMPED), and, with a SONAME, PT_DYNAMIC at 0x300 (DT_SONAME, DT_STRTAB 0x400 unrelocated, as
// in the vDSO) and its string table at 0x400.
template <class ELFT> std::string image(bool stamped, const std::string &soname = "") {
  std::string notes = note<ELFT>("GNU", NT_GNU_BUILD_ID, kBuildId);
  if (stamped)
    notes += note<ELFT>("FDO", 0xcafe1a7e, kPayload + std::string(1, '\0'));
  std::string out;
  std::uint16_t phnum = soname.empty() ? 2 : 3;
  put(out, 0, header<ELFT>(ET_DYN, phnum));
  std::size_t ph = sizeof(typename ELFT::Ehdr), size = sizeof(typename ELFT::Phdr);
  put(out, ph, segment<ELFT>(PT_LOAD, 0, 0, 0x1000, 0x1000, PF_R | PF_X));
  put(out, ph + size, segment<ELFT>(PT_NOTE, 0x100, 0x100, notes.size()));
  out.resize(0x1000, '\0');
  std::memcpy(&out[0x100], notes.data(), notes.size());
  if (!soname.empty()) {
    std::string dynamic = words<ELFT>({DT_SONAME, 1, DT_STRTAB, 0x400, DT_NULL, 0});
    put(out, ph + 2 * size, segment<ELFT>(PT_DYNAMIC, 0x300, 0x300, dynamic.size()));
    std::memcpy(&out[0x300], dynamic.data(), dynamic.size());
    std::memcpy(&out[0x401], soname.c_str(), soname.size() + 1);
  }
  return out;
}

struct Mapping {
  std::uint64_t start, end, page; // NT_FILE entry, page = file offset / 0x1000
  std::string path;
};

template <class ELFT> std::string fileNote(const std::vector<Mapping> &mappings) {
  std::vector<std::uint64_t> values = {mappings.size(), 0x1000};
  for (const Mapping &m : mappings)
    values.insert(values.end(), {m.start, m.end, m.page});
  std::string desc = words<ELFT>(values);
  for (const Mapping &m : mappings)
    desc += m.path + '\0';
  return note<ELFT>("CORE", NT_FILE, desc);
}

struct Load {
  std::uint64_t address;
  std::string bytes; // empty: not dumped (p_filesz 0, one page of p_memsz)
  std::uint32_t flags;
};

// The core: ELF header, PT_NOTE with NOTES, one PT_LOAD per LOADS entry.
template <class ELFT> std::string core(const std::string &notes, const std::vector<Load> &loads) {
  std::string out;
  put(out, 0, header<ELFT>(ET_CORE, static_cast<std::uint16_t>(1 + loads.size())));
  std::size_t ph = sizeof(typename ELFT::Ehdr), size = sizeof(typename ELFT::Phdr);
  put(out, ph, segment<ELFT>(PT_NOTE, 0x800, 0, notes.size()));
  out.resize(0x800, '\0');
  out += notes;
  for (std::size_t i = 0; i < loads.size(); ++i) {
    out.resize((out.size() + 0xfff) & ~std::size_t(0xfff), '\0');
    const Load &load = loads[i];
    put(out, ph + (1 + i) * size,
        segment<ELFT>(PT_LOAD, out.size(), load.address, load.bytes.size(), 0x1000, load.flags));
    out += load.bytes;
  }
  return out;
}

template <class ELFT> class CoreModulesTest : public ::testing::Test {};
using AllClasses = ::testing::Types<llvm::object::ELF32LE, llvm::object::ELF32BE,
                                    llvm::object::ELF64LE, llvm::object::ELF64BE>;
TYPED_TEST_SUITE(CoreModulesTest, AllClasses);

constexpr std::uint64_t kText = 0x10000, kData = 0x11000, kVdso = 0x70000;

TYPED_TEST(CoreModulesTest, ListsTheVdsoByItsSoname) {
  std::string notes = fileNote<TypeParam>({{kText, kText + 0x1000, 0, "/guest"}}) +
                      note<TypeParam>("CORE", NT_AUXV, words<TypeParam>({33, kVdso, 0, 0}));
  std::string bytes =
      core<TypeParam>(notes, {{kText, image<TypeParam>(true), PF_R | PF_X},
                              {kVdso, image<TypeParam>(false, "linux-vdso.so.1"), PF_R | PF_X}});
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 2u);
  EXPECT_EQ(report->modules[0].path, "/guest");
  ASSERT_TRUE(report->modules[0].package);
  const ModuleReport &vdso = report->modules[1];
  EXPECT_EQ(vdso.path, "linux-vdso.so.1");
  EXPECT_EQ(vdso.buildId, "0123456789abcdef");
  EXPECT_FALSE(vdso.package);
  EXPECT_EQ(vdso.source, ModuleReport::Source::Core);
}

// The text page (the header at the load address) was not dumped; the data mapping of the same
// file at file offset 0 holds the header and notes: one module, read there.
TYPED_TEST(CoreModulesTest, ReadsHeaderFromAnotherMappingAtFileOffsetZero) {
  std::string notes = fileNote<TypeParam>(
      {{kText, kText + 0x1000, 0, "/guest"}, {kData, kData + 0x1000, 0, "/guest"}});
  std::string bytes = core<TypeParam>(
      notes, {{kText, "", PF_R | PF_X}, {kData, image<TypeParam>(true), PF_R | PF_W}});
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 1u);
  const ModuleReport &m = report->modules[0];
  EXPECT_EQ(m.path, "/guest");
  EXPECT_EQ(m.buildId, "0123456789abcdef");
  ASSERT_TRUE(m.package);
  EXPECT_EQ(*m.package->name(), "guest");
  EXPECT_TRUE(report->warnings.empty());
}

// Neither mapping dumped, the file not on disk: the code mapping's file is listed by path, the
// read-only data file (a locale archive) is not.
TYPED_TEST(CoreModulesTest, ListsCodeMappingWithoutHeaderByPathOnly) {
  std::string notes = fileNote<TypeParam>({{kText, kText + 0x1000, 0, "/nonexistent/guest"},
                                           {kData, kData + 0x1000, 0, "/nonexistent/locale"}});
  std::string bytes = core<TypeParam>(notes, {{kText, "", PF_R | PF_X}, {kData, "", PF_R}});
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 1u);
  EXPECT_EQ(report->modules[0].path, "/nonexistent/guest");
  EXPECT_TRUE(report->modules[0].buildId.empty());
  EXPECT_FALSE(report->modules[0].package);
}

// Two pages, as pkgnote stamp's "segment" layout leaves a file: the ELF header and the build-id
// in the first, the program header table (e_phoff 0x1000) and the package note in a PT_LOAD of
// their own. ENTRY tells two such files apart by their headers only.
template <class ELFT> std::string movedTableImage(std::uint64_t entry) {
  std::string buildId = note<ELFT>("GNU", NT_GNU_BUILD_ID, kBuildId);
  std::string package = note<ELFT>("FDO", 0xcafe1a7e, kPayload + std::string(1, '\0'));
  auto e = header<ELFT>(ET_DYN, 4);
  e.e_phoff = 0x1000;
  e.e_entry = entry;
  std::string out;
  put(out, 0, e);
  out.resize(0x2000, '\0');
  std::memcpy(&out[0x100], buildId.data(), buildId.size());
  std::memcpy(&out[0x1800], package.data(), package.size());
  std::size_t size = sizeof(typename ELFT::Phdr);
  put(out, 0x1000, segment<ELFT>(PT_LOAD, 0, 0, 0x1000, 0x1000, PF_R | PF_X));
  put(out, 0x1000 + size, segment<ELFT>(PT_LOAD, 0x1000, 0x1000, 0x1000, 0x1000, PF_R));
  put(out, 0x1000 + 2 * size, segment<ELFT>(PT_NOTE, 0x100, 0x100, buildId.size()));
  put(out, 0x1000 + 3 * size, segment<ELFT>(PT_NOTE, 0x1800, 0x1800, package.size()));
  return out;
}

// The kernel dumped the first page only: the table is not in the core. With the file under the
// root the module is named through it; with another file there (another header), it is not.
TYPED_TEST(CoreModulesTest, NamesModuleWhoseTableIsNotInTheCoreThroughItsFile) {
  std::string file = movedTableImage<TypeParam>(0x400);
  std::string notes = fileNote<TypeParam>({{kText, kText + 0x2000, 0, "/guest"}});
  std::string bytes = core<TypeParam>(
      notes, {{kText, file.substr(0, 0x1000), PF_R | PF_X}, {kText + 0x1000, "", PF_R}});
  testing::TempDir dir;
  dir.write("core", bytes);
  dir.write("root/guest", file);
  dir.write("other/guest", movedTableImage<TypeParam>(0x404));
  ReadOptions options;
  options.root = dir / "root";
  auto report = readElfFile(dir / "core", options);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 1u);
  const ModuleReport &m = report->modules[0];
  EXPECT_EQ(m.source, ModuleReport::Source::File) << (report->warnings.empty() ? "" : report->warnings[0]);
  EXPECT_EQ(m.buildId, "0123456789abcdef");
  ASSERT_TRUE(m.package);
  EXPECT_EQ(*m.package->name(), "guest");
  EXPECT_TRUE(report->warnings.empty());

  options.root = dir / "other";
  report = readElfFile(dir / "core", options);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 1u);
  EXPECT_FALSE(report->modules[0].package);
  EXPECT_EQ(report->modules[0].source, ModuleReport::Source::Core);
  ASSERT_EQ(report->warnings.size(), 1u);
  EXPECT_NE(report->warnings[0].find("is not in the core"), std::string::npos)
      << report->warnings[0];

  report = readElfImage(bytes, "core"); // no file looked up: the core alone names nothing
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->modules.at(0).package);
}

} // namespace
} // namespace pkgnote
