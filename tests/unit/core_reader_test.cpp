// SPDX-License-Identifier: MIT
// The core reader over cores built in memory for all four ELF32/64 x LE/BE classes: a module
// named by NT_FILE is found in the core's PT_LOAD memory and its package note read from there,
// also when the module's class and byte order differ from the core's (an emulator's core); a
// hostile NT_FILE count is an error naming the core and the field; a module whose note page was
// not dumped is listed without a package; modules beyond kMaxCoreModules are not read.
#include "pkgnote/elf_reader.h"
#include "pkgnote/limits.h"

#include "core_builder.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace pkgnote {
namespace {

using namespace llvm::ELF;
using namespace pkgnote::testing;

const std::string kPayload = R"({"type":"deb","name":"guest","version":"1.0"})";
constexpr std::uint64_t kModuleAddress = 0x10000;

// A module image: ELF header, PT_LOAD over itself and a PT_NOTE with the package note at 0x100.
template <class ELFT> std::string module() {
  std::string image;
  put(image, 0, header<ELFT>(ET_DYN, 2));
  std::string n = note<ELFT>("FDO", 0xcafe1a7e, kPayload + std::string(1, '\0'));
  std::size_t ph = sizeof(typename ELFT::Ehdr);
  put(image, ph, segment<ELFT>(PT_LOAD, 0, 0, 0x1000));
  put(image, ph + sizeof(typename ELFT::Phdr), segment<ELFT>(PT_NOTE, 0x100, 0x100, n.size()));
  image.resize(0x1000, '\0');
  std::memcpy(&image[0x100], n.data(), n.size());
  return image;
}

// NT_FILE with one mapping per path, each of kModuleAddress from file offset 0 (COUNT as given,
// by default the number of paths).
template <class ELFT>
std::string fileNote(std::optional<std::uint64_t> count,
                     const std::vector<std::string> &paths = {"/guest"}) {
  using Word = typename ELFT::Addr; // endian-aware word of the class
  std::string desc;
  auto append = [&](std::uint64_t value) {
    Word word;
    word = value;
    desc.append(reinterpret_cast<const char *>(&word), sizeof(word));
  };
  append(count ? *count : paths.size());
  append(0x1000);
  for (std::size_t i = 0; i < paths.size(); ++i) {
    append(kModuleAddress);
    append(kModuleAddress + 0x1000);
    append(0);
  }
  for (const std::string &path : paths)
    desc += path + '\0';
  return note<ELFT>("CORE", NT_FILE, desc);
}

// The core: ELF header, PT_NOTE (NOTES, by default an NT_FILE naming "/guest"), PT_LOAD holding
// IMAGE (or LOADED bytes of it).
template <class CoreT>
std::string core(const std::string &image, std::uint64_t count = 1, std::size_t loaded = 0x1000,
                 std::optional<std::string> fileNotes = std::nullopt) {
  std::string notes = fileNotes ? *fileNotes : fileNote<CoreT>(count);
  std::string out;
  put(out, 0, header<CoreT>(ET_CORE, 2));
  std::size_t ph = sizeof(typename CoreT::Ehdr), notesAt = 0x200;
  std::size_t loadAt = (notesAt + notes.size() + 0xfff) & ~std::size_t(0xfff); // the next page
  put(out, ph, segment<CoreT>(PT_NOTE, notesAt, 0, notes.size()));
  put(out, ph + sizeof(typename CoreT::Phdr),
      segment<CoreT>(PT_LOAD, loadAt, kModuleAddress, loaded));
  out.resize(loadAt, '\0');
  std::memcpy(&out[notesAt], notes.data(), notes.size());
  out += image.substr(0, loaded);
  return out;
}

template <class ELFT> class CoreReaderTest : public ::testing::Test {};
using AllClasses = ::testing::Types<llvm::object::ELF32LE, llvm::object::ELF32BE,
                                    llvm::object::ELF64LE, llvm::object::ELF64BE>;
TYPED_TEST_SUITE(CoreReaderTest, AllClasses);

TYPED_TEST(CoreReaderTest, ReadsModulePackageFromCoreMemory) {
  std::string bytes = core<TypeParam>(module<TypeParam>());
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->kind, ElfKind::Core);
  ASSERT_EQ(report->modules.size(), 1u);
  const ModuleReport &m = report->modules[0];
  EXPECT_EQ(m.path, "/guest");
  EXPECT_EQ(m.source, ModuleReport::Source::Core);
  ASSERT_TRUE(m.package);
  EXPECT_EQ(*m.package->name(), "guest");
  EXPECT_EQ(*m.package->version(), "1.0");
  EXPECT_TRUE(report->emulatedArchitecture.empty());
}

TYPED_TEST(CoreReaderTest, ReadsForeignClassModuleAndSaysEmulator) {
  // A 64-bit little-endian core (qemu itself) holding a module of the parameter's class.
  std::string bytes = core<llvm::object::ELF64LE>(module<TypeParam>());
  // The core's machine: x86-64, as a gcore of qemu-user on an x86-64 host.
  put(bytes, 18, std::uint16_t(EM_X86_64));
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 1u);
  ASSERT_TRUE(report->modules[0].package);
  EXPECT_EQ(*report->modules[0].package->name(), "guest");
  EXPECT_EQ(report->emulatedArchitecture, report->modules[0].elfArchitecture);
  EXPECT_FALSE(report->emulatedArchitecture.empty());
}

TYPED_TEST(CoreReaderTest, HostileFileNoteCountIsAnErrorForThatCore) {
  std::string bytes = core<TypeParam>(module<TypeParam>(), 0x7fffffff);
  auto report = readElfImage(bytes, "core");
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().message,
            "'core': NT_FILE: count 0x7fffffff exceeds the note (room for 0x1)");
}

TYPED_TEST(CoreReaderTest, ModuleWhoseNotePageWasNotDumpedHasNoPackage) {
  // Only the header and program headers were dumped, not the note at 0x100.
  std::string bytes = core<TypeParam>(module<TypeParam>(), 1, 0x100);
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), 1u);
  EXPECT_FALSE(report->modules[0].package);
}

// kMaxCoreModules distinct files are read, the next one is not, with a warning (the many-modules
// corpus case names one file 5000 times, which is one module).
TYPED_TEST(CoreReaderTest, ModulesBeyondTheLimitAreNotReadWithAWarning) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i <= kMaxCoreModules; ++i)
    paths.push_back("/m" + std::to_string(i));
  std::string bytes =
      core<TypeParam>(module<TypeParam>(), 0, 0x1000, fileNote<TypeParam>({}, paths));
  auto report = readElfImage(bytes, "core");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->modules.size(), kMaxCoreModules);
  EXPECT_EQ(report->modules.back().path, "/m" + std::to_string(kMaxCoreModules - 1));
  ASSERT_TRUE(report->modules.back().package);
  EXPECT_EQ(*report->modules.back().package->name(), "guest");
  EXPECT_EQ(report->warnings,
            std::vector<std::string>{"more than 4096 modules, the rest are not read"});
}

} // namespace
} // namespace pkgnote
