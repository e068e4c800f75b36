// SPDX-License-Identifier: MIT
// The stamp planner over linked-file layouts built in memory with yaml2obj, for all four
// ELF32/64 x LE/BE: the note reads back, PT_NOTE lies in the first PT_LOAD next to the program
// headers, every original segment's bytes stay where their header says, DT_ tags and section
// headers follow what moved, re-stamping is idempotent; refusals name the file and the reason.
#include "pkgnote/elf_reader.h"
#include "pkgnote/note_encoding.h"
#include "pkgnote/payload_json.h"
#include "pkgnote/stamp.h"

#include "elf_image.h"

#include "llvm/Object/ELF.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

namespace {

using namespace pkgnote;
using namespace pkgnote::testing;
using namespace llvm::ELF;

const std::string kJson =
    R"({"type":"deb","name":"hello","version":"2.10-3","architecture":"s390x"})";
const std::string kLongerJson =
    R"({"type":"deb","name":"hello","version":"2.10-3+really.a.much.longer.version","architecture":"s390x"})";

std::string hexOf(const std::string &text) {
  std::string hex;
  for (unsigned char byte : text) {
    static const char digits[] = "0123456789abcdef";
    hex.push_back(digits[byte >> 4]);
    hex.push_back(digits[byte & 15]);
  }
  return hex;
}

Result<StampPlan> plan(const std::string &bytes, const std::string &json,
                       StampOptions options = {}) {
  StampReader read = [&](std::uint64_t offset, std::size_t size, std::uint8_t *out) {
    if (offset > bytes.size() || size > bytes.size() - offset)
      return false;
    std::memcpy(out, bytes.data() + offset, size);
    return true;
  };
  return planStamp(read, bytes.size(), json, options, "in");
}

std::string stamp(const std::string &bytes, const std::string &json,
                  std::string *layout = nullptr) {
  Result<StampPlan> result = plan(bytes, json);
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  if (!result)
    return bytes;
  if (layout)
    *layout = result->outcome.layout;
  return applyStampPlan(bytes, *result);
}

template <class ELFT> struct Layout {
  static constexpr bool is64 = ELFT::Is64Bits;
  static constexpr bool big = ELFT::TargetEndianness == llvm::support::big;
  static constexpr std::uint64_t header = is64 ? 64 : 52, phent = is64 ? 56 : 32;
  static constexpr std::uint64_t phnum = 8;
  static constexpr std::uint64_t interp = header + phnum * phent;
  static constexpr std::uint64_t buildId = (interp + 11 + 3) / 4 * 4;
  static constexpr std::uint64_t dynstr = buildId + 36;

  // A GNU ld -z separate-code layout: header, program headers, .interp, build-id note and a
  // DT_STRTAB-referenced .dynstr in the first PT_LOAD; text and .dynamic in pages of their own.
  // DYNSTRAT moves .dynstr (e.g. past a gap of zeros); TEXTAT puts .text right after it.
  static std::string yaml(std::uint64_t dynstrAt = dynstr, const char *type = "ET_DYN",
                          std::uint64_t textAt = 0x2000, bool referenced = true,
                          bool bigDynstr = false) {
    auto hex = [](std::uint64_t value) {
      char text[24];
      std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
      return std::string(text);
    };
    std::string build = noteHex(big, kGnu, NT_GNU_BUILD_ID, "0123456789abcdefghij");
    std::string y =
        std::string("--- !ELF\nFileHeader:\n  Class: ") + (is64 ? "ELFCLASS64" : "ELFCLASS32") +
        "\n  Data: " + (big ? "ELFDATA2MSB" : "ELFDATA2LSB") + "\n  Type: " + type +
        "\n  Machine: " + (big ? "EM_S390" : "EM_X86_64") + "\n  Entry: " + hex(textAt) +
        "\nProgramHeaders:\n"
        "  - Type: PT_PHDR\n    Flags: [ PF_R ]\n    Offset: " +
        hex(header) + "\n    VAddr: " + hex(header) + "\n    FileSize: " + hex(phnum * phent) +
        "\n    MemSize: " + hex(phnum * phent) +
        "\n    Align: 8\n"
        "  - Type: PT_INTERP\n    Flags: [ PF_R ]\n    FirstSec: .interp\n"
        "    LastSec: .interp\n    VAddr: " +
        hex(interp) +
        "\n"
        "  - Type: PT_LOAD\n    Flags: [ PF_R ]\n    Offset: 0\n    VAddr: 0\n"
        "    FirstSec: .interp\n    LastSec: .dynstr\n    Align: 0x1000\n"
        "  - Type: PT_LOAD\n    Flags: [ PF_R, PF_X ]\n    FirstSec: .text\n"
        "    LastSec: .text\n    VAddr: " +
        hex(textAt) +
        "\n    Align: 0x1000\n"
        "  - Type: PT_LOAD\n    Flags: [ PF_R, PF_W ]\n    FirstSec: .dynamic\n"
        "    LastSec: .dynamic\n    VAddr: 0x3000\n    Align: 0x1000\n"
        "  - Type: PT_DYNAMIC\n    Flags: [ PF_R, PF_W ]\n    FirstSec: .dynamic\n"
        "    LastSec: .dynamic\n    VAddr: 0x3000\n"
        "  - Type: PT_NOTE\n    Flags: [ PF_R ]\n    FirstSec: .note.gnu.build-id\n"
        "    LastSec: .note.gnu.build-id\n    VAddr: " +
        hex(buildId) +
        "\n    Align: 4\n"
        "  - Type: PT_GNU_STACK\n    Flags: [ PF_R, PF_W ]\n"
        "Sections:\n"
        "  - Name: .interp\n    Type: SHT_PROGBITS\n    Flags: [ SHF_ALLOC ]\n"
        "    Offset: " +
        hex(interp) + "\n    Address: " + hex(interp) +
        "\n    Content: " + hexOf(std::string("/lib/ld.so", 11)) +
        "\n"
        "  - Name: .note.gnu.build-id\n    Type: SHT_NOTE\n    Flags: [ SHF_ALLOC ]\n"
        "    Offset: " +
        hex(buildId) + "\n    Address: " + hex(buildId) +
        "\n    AddressAlign: 4\n    Content: " + build +
        "\n"
        "  - Name: .dynstr\n    Type: SHT_STRTAB\n    Flags: [ SHF_ALLOC ]\n"
        "    Offset: " +
        hex(dynstrAt) + "\n    Address: " + hex(dynstrAt) +
        (bigDynstr ? "\n    Size: 0x1000\n" : "\n    Content: 006c6962632e736f2e3600\n") +
        "  - Name: .text\n    Type: SHT_PROGBITS\n    Flags: [ SHF_ALLOC, SHF_EXECINSTR ]\n"
        "    Offset: " +
        hex(textAt) + "\n    Address: " + hex(textAt) +
        "\n    Content: c3c3c3c3deadbeef\n"
        "  - Name: .dynamic\n    Type: SHT_DYNAMIC\n    Flags: [ SHF_ALLOC, SHF_WRITE ]\n"
        "    Offset: 0x3000\n    Address: 0x3000\n    AddressAlign: 8\n    Entries:\n"
        "      - Tag: DT_STRTAB\n        Value: " +
        hex(referenced ? dynstrAt : 0x3000) +
        "\n"
        "      - Tag: DT_STRSZ\n        Value: 11\n"
        "      - Tag: DT_NULL\n        Value: 0\n";
    return y;
  }
};

template <class ELFT> class StampAllClasses : public ::testing::Test {
protected:
  using L = Layout<ELFT>;
  using Elf = llvm::object::ELFFile<ELFT>;

  static Elf parse(const std::string &bytes) {
    auto file = Elf::create(llvm::StringRef(bytes.data(), bytes.size()));
    EXPECT_TRUE(static_cast<bool>(file));
    return std::move(*file);
  }

  // What every stamped file must satisfy, against its ORIGINAL.
  void expectSound(const std::string &original, const std::string &stamped,
                   const std::string &json) {
    Result<FileReport> report = readElfImage(stamped, "out");
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->packages.size(), 1u);
    EXPECT_EQ(*toPayloadJson(report->packages[0].metadata), json);
    EXPECT_EQ(report->buildId, hexOf("0123456789abcdefghij")); // "0123456789abcdefghij"
    Elf before = parse(original), after = parse(stamped);
    auto oldPhdrs = *before.program_headers();
    auto phdrs = *after.program_headers();
    const auto &load = phdrs[2];
    ASSERT_EQ(load.p_type, PT_LOAD);
    EXPECT_EQ(load.p_offset, 0u);
    EXPECT_EQ(phdrs[0].p_type, PT_PHDR);
    EXPECT_EQ(phdrs[0].p_offset, after.getHeader().e_phoff);
    EXPECT_EQ(phdrs[0].p_filesz, phdrs.size() * L::phent);
    EXPECT_LE(after.getHeader().e_phoff + phdrs[0].p_filesz, load.p_filesz);
    std::string note =
        std::string(reinterpret_cast<const char *>(
                        encodePackageNote(json, L::big ? Endian::Big : Endian::Little).data()),
                    encodePackageNote(json, L::big ? Endian::Big : Endian::Little).size());
    std::size_t notes = 0;
    for (const auto &phdr : phdrs) {
      if (phdr.p_type != PT_NOTE)
        continue;
      EXPECT_LE(phdr.p_offset + phdr.p_filesz, load.p_filesz);
      EXPECT_EQ(phdr.p_vaddr, phdr.p_offset);
      if (stamped.compare(phdr.p_offset, note.size(), note) == 0) {
        ++notes;
        EXPECT_EQ(phdr.p_filesz, note.size());
        EXPECT_LE(phdr.p_offset + phdr.p_filesz, 4096u); // in the first page
      }
    }
    EXPECT_EQ(notes, 1u);
    // The text segment's bytes are where its header says, as before (.dynamic's DT_STRTAB is
    // checked below).
    for (std::size_t i = 3; i < 4; ++i) {
      const auto &segment = oldPhdrs[i];
      EXPECT_EQ(stamped.substr(segment.p_offset, segment.p_filesz),
                original.substr(segment.p_offset, segment.p_filesz));
    }
    // The interpreter and .dynstr read the same through the headers that point at them.
    for (const auto &phdr : phdrs)
      if (phdr.p_type == PT_INTERP) {
        EXPECT_EQ(stamped.substr(phdr.p_offset, phdr.p_filesz), std::string("/lib/ld.so", 11));
      }
    auto sections = *after.sections();
    bool packageSection = false;
    for (const auto &section : sections) {
      std::string name = after.getSectionName(section)->str();
      if (name == ".dynstr") {
        EXPECT_EQ(stamped.substr(section.sh_offset, 11), std::string("\0libc.so.6\0", 11));
        auto entries = after.dynamicEntries();
        ASSERT_TRUE(static_cast<bool>(entries));
        for (const auto &entry : *entries)
          if (entry.d_tag == DT_STRTAB) {
            EXPECT_EQ(entry.d_un.d_ptr, section.sh_addr);
          }
      }
      if (name == ".note.package") {
        packageSection = true;
        EXPECT_EQ(section.sh_type, SHT_NOTE);
        EXPECT_EQ(section.sh_flags, SHF_ALLOC);
        EXPECT_EQ(stamped.substr(section.sh_offset, section.sh_size), note);
      }
      if (section.sh_flags & SHF_ALLOC) {
        EXPECT_EQ(section.sh_addr, section.sh_offset);
      }
    }
    EXPECT_TRUE(packageSection);
  }

  // The "segment" layout: the original bytes stay; a new PT_LOAD, above every other one in
  // memory and after them in the table, holds the grown table and the note.
  void expectSegment(const std::string &original, const std::string &stamped,
                     const std::string &json) {
    Result<FileReport> report = readElfImage(stamped, "out");
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->packages.size(), 1u);
    EXPECT_EQ(*toPayloadJson(report->packages[0].metadata), json);
    EXPECT_EQ(report->buildId, hexOf("0123456789abcdefghij"));
    Elf before = parse(original), after = parse(stamped);
    auto oldPhdrs = *before.program_headers();
    auto phdrs = *after.program_headers();
    ASSERT_EQ(phdrs.size(), oldPhdrs.size() + 2);
    EXPECT_EQ(phdrs[0].p_type, PT_PHDR);
    std::uint64_t phoff = after.getHeader().e_phoff;
    EXPECT_EQ(phdrs[0].p_offset, phoff);
    EXPECT_EQ(phdrs[0].p_filesz, phdrs.size() * L::phent);
    std::uint64_t lastEnd = 0;
    const typename ELFT::Phdr *added = nullptr;
    for (const auto &phdr : phdrs)
      if (phdr.p_type == PT_LOAD) {
        EXPECT_GE(phdr.p_vaddr, lastEnd); // in address order, not overlapping
        lastEnd = phdr.p_vaddr + phdr.p_memsz;
        added = &phdr;
      }
    ASSERT_TRUE(added);
    EXPECT_EQ(added->p_offset % 0x1000, 0u);
    EXPECT_EQ(added->p_vaddr, added->p_offset); // the first segment's difference (AT_PHDR)
    EXPECT_LE(added->p_offset, phoff);          // PT_PHDR covered by a PT_LOAD
    EXPECT_LE(phoff + phdrs[0].p_filesz, added->p_offset + added->p_filesz);
    // Every original PT_LOAD keeps its bytes (the first but its ELF header).
    for (const auto &segment : oldPhdrs)
      if (segment.p_type == PT_LOAD) {
        std::uint64_t from = segment.p_offset == 0 ? L::header : segment.p_offset;
        EXPECT_EQ(stamped.substr(from, segment.p_offset + segment.p_filesz - from),
                  original.substr(from, segment.p_offset + segment.p_filesz - from));
      }
    auto encoded = encodePackageNote(json, L::big ? Endian::Big : Endian::Little);
    std::string note(reinterpret_cast<const char *>(encoded.data()), encoded.size());
    std::size_t notes = 0;
    for (const auto &phdr : phdrs)
      if (phdr.p_type == PT_NOTE) {
        if (stamped.compare(phdr.p_offset, note.size(), note) == 0) {
          ++notes;
          EXPECT_EQ(phdr.p_filesz, note.size());
          EXPECT_GE(phdr.p_offset, added->p_offset);
          EXPECT_EQ(phdr.p_vaddr, phdr.p_offset);
        } else {
          EXPECT_EQ(phdr.p_offset, L::buildId); // the build-id's PT_NOTE did not move
        }
      }
    EXPECT_EQ(notes, 1u);
    std::size_t count = 0;
    auto sections = *after.sections();
    for (const auto &section : sections)
      if (after.getSectionName(section)->str() == ".note.package") {
        ++count;
        EXPECT_EQ(section.sh_type, SHT_NOTE);
        EXPECT_EQ(stamped.substr(section.sh_offset, section.sh_size), note);
      }
    EXPECT_EQ(count, 1u);
  }
};

std::uint64_t alignTo4(std::uint64_t value) { return (value + 3) / 4 * 4; }

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

using Classes = ::testing::Types<llvm::object::ELF32LE, llvm::object::ELF32BE,
                                 llvm::object::ELF64LE, llvm::object::ELF64BE>;
TYPED_TEST_SUITE(StampAllClasses, Classes);

TYPED_TEST(StampAllClasses, ShiftsDynamicTablesToMakeRoomInFirstPage) {
  std::string original = yamlToElf(TestFixture::L::yaml());
  std::string layout;
  std::string stamped = stamp(original, kJson, &layout);
  EXPECT_EQ(layout, "shift");
  this->expectSound(original, stamped, kJson);
  EXPECT_EQ(stamp(stamped, kJson), stamped); // idempotent
}

TYPED_TEST(StampAllClasses, UsesFreeBytesWithoutMovingTables) {
  std::string original = yamlToElf(TestFixture::L::yaml(0x800));
  std::string layout;
  std::string stamped = stamp(original, kJson, &layout);
  EXPECT_EQ(layout, "gap");
  this->expectSound(original, stamped, kJson);
  EXPECT_EQ(stamped.substr(0x800, 11), original.substr(0x800, 11)); // .dynstr stayed
  EXPECT_EQ(stamp(stamped, kJson), stamped);
}

TYPED_TEST(StampAllClasses, ReplacesNoteWithLongerAndShorterOne) {
  std::string original = yamlToElf(TestFixture::L::yaml());
  std::string once = stamp(original, kJson);
  std::string longer = stamp(once, kLongerJson);
  this->expectSound(original, longer, kLongerJson);
  std::string back = stamp(longer, kJson);
  this->expectSound(original, back, kJson);
  EXPECT_EQ(stamp(back, kJson), back);
}

TYPED_TEST(StampAllClasses, IfUnstampedLeavesNotedFileAlone) {
  std::string once = stamp(yamlToElf(TestFixture::L::yaml()), kJson);
  StampOptions options;
  options.ifUnstamped = true;
  Result<StampPlan> second = plan(once, kLongerJson, options);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->outcome.action, StampAction::LeftAlone);
  EXPECT_TRUE(second->patches.empty());
}

TYPED_TEST(StampAllClasses, MovesNotesToSlackWhenTablesCannotMove) {
  // DT_STRTAB names no section: .dynstr may not move, so what does not fit in the 64 free bytes
  // before it goes after it.
  using L = typename TestFixture::L;
  std::string original = yamlToElf(L::yaml(L::dynstr + 64, "ET_DYN", 0x2000, false));
  std::string layout;
  std::string stamped = stamp(original, kJson, &layout);
  EXPECT_EQ(layout, "tail");
  Result<FileReport> report = readElfImage(stamped, "out");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(*toPayloadJson(report->packages[0].metadata), kJson);
  EXPECT_EQ(stamped.substr(L::dynstr + 64, 11), original.substr(L::dynstr + 64, 11));
  EXPECT_EQ(stamp(stamped, kJson), stamped);
}

TYPED_TEST(StampAllClasses, AddsSegmentWhenThereIsNoRoom) {
  // As above, and the next segment starts right after .dynstr: no slack either. The table and
  // the note go to a new PT_LOAD at the end; re-stamping grows and shrinks it.
  using L = typename TestFixture::L;
  std::string original = yamlToElf(L::yaml(L::dynstr + 64, "ET_DYN", L::dynstr + 80, false));
  std::string layout;
  std::string stamped = stamp(original, kJson, &layout);
  EXPECT_EQ(layout, "segment");
  this->expectSegment(original, stamped, kJson);
  EXPECT_EQ(stamp(stamped, kJson), stamped);
  std::string longer = stamp(stamped, kLongerJson, &layout);
  EXPECT_EQ(layout, "segment");
  this->expectSegment(original, longer, kLongerJson);
  EXPECT_EQ(longer.size(),
            stamped.size() + alignTo4(kLongerJson.size() + 1) - alignTo4(kJson.size() + 1));
  std::string back = stamp(longer, kJson);
  this->expectSegment(original, back, kJson);
  EXPECT_EQ(back, stamped);
  Result<StampPlan> relocatable = plan(yamlToElf(L::yaml(L::dynstr, "ET_REL")), kJson);
  ASSERT_FALSE(relocatable);
  EXPECT_EQ(relocatable.error().message,
            "'in': relocatable object (ET_REL): only executables and shared objects are stamped");
}

TYPED_TEST(StampAllClasses, RefusesLyingHeaders) {
  using L = typename TestFixture::L;
  std::string original = yamlToElf(L::yaml());
  auto put16 = [&](std::string bytes, std::size_t at, std::uint16_t value) {
    bytes[at + (L::big ? 1 : 0)] = static_cast<char>(value & 0xff);
    bytes[at + (L::big ? 0 : 1)] = static_cast<char>(value >> 8);
    return bytes;
  };
  std::size_t phnumAt = L::is64 ? 56 : 44, shnumAt = L::is64 ? 60 : 48;
  Result<StampPlan> phnum = plan(put16(original, phnumAt, 0x4000), kJson);
  ASSERT_FALSE(phnum);
  EXPECT_EQ(phnum.error().message.rfind("'in': program headers (e_phoff ", 0), 0u)
      << phnum.error().message;
  Result<StampPlan> shnum = plan(put16(original, shnumAt, 0x4000), kJson);
  ASSERT_FALSE(shnum);
  EXPECT_EQ(shnum.error().message.rfind("'in': section headers (e_shoff ", 0), 0u)
      << shnum.error().message;
  Result<StampPlan> truncated = plan(original.substr(0, 40), kJson);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().message, "'in': truncated ELF header (40 bytes)");
  Result<StampPlan> cut = plan(original.substr(0, 0x1000), kJson);
  ASSERT_FALSE(cut);
}

TYPED_TEST(StampAllClasses, KeepsBuildIdInFirstPage) {
  // .dynstr may not move and ends past the first page. 32-bit: the table could grow, but the
  // build-id's block would no longer fit before .dynstr; 64-bit: the table cannot grow (nothing
  // movable in the 0x24 bytes left). Both get a new segment; the build-id stays at its offset.
  using L = typename TestFixture::L;
  std::string original = yamlToElf(L::yaml(L::dynstr, "ET_DYN", 0x2000, false, true));
  Result<StampPlan> result = plan(original, kJson);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome.layout, "segment");
  EXPECT_FALSE(result->outcome.buildIdLeftFirstPage);
  EXPECT_FALSE(result->outcome.noteInFirstPage);
  std::string stamped = applyStampPlan(original, *result);
  this->expectSegment(original, stamped, kJson);
  EXPECT_EQ(stamp(stamped, kJson), stamped);
}

// A first segment whose only section after the program headers is .note.package (under its
// PT_NOTE) holding NOTES, then text on the next page.
std::string notesFile(const std::string &notes, int align = 4) {
  std::string a = std::to_string(align);
  return yamlToElf("--- !ELF\nFileHeader:\n  Class: ELFCLASS64\n  Data: ELFDATA2LSB\n"
                   "  Type: ET_DYN\n  Machine: EM_X86_64\nProgramHeaders:\n"
                   "  - Type: PT_LOAD\n    Flags: [ PF_R ]\n    Offset: 0\n    VAddr: 0\n"
                   "    FirstSec: .note.package\n    LastSec: .note.package\n    Align: 0x1000\n"
                   "  - Type: PT_NOTE\n    Flags: [ PF_R ]\n    FirstSec: .note.package\n"
                   "    LastSec: .note.package\n    VAddr: 0xe8\n    Align: " + a + "\n"
                   "  - Type: PT_LOAD\n    Flags: [ PF_R, PF_X ]\n    FirstSec: .text\n"
                   "    LastSec: .text\n    VAddr: 0x1000\n    Align: 0x1000\n"
                   "Sections:\n"
                   "  - Name: .note.package\n    Type: SHT_NOTE\n    Flags: [ SHF_ALLOC ]\n"
                   "    Offset: 0xe8\n    Address: 0xe8\n    AddressAlign: " + a + "\n    Content: " +
                   notes +
                   "\n  - Name: .text\n    Type: SHT_PROGBITS\n    Flags: [ SHF_ALLOC, "
                   "SHF_EXECINSTR ]\n    Offset: 0x1000\n    Address: 0x1000\n    Content: c3\n");
}

TEST(Stamp, ReplacesIdenticalNotesAndRefusesDifferentOnes) {
  std::string one = noteHex(false, kFdo, kPackageNoteType, kJson + std::string(1, '\0'));
  std::string other = noteHex(false, kFdo, kPackageNoteType, kLongerJson + std::string(1, '\0'));
  // Identical notes next to each other (a note linked in twice): one region, replaced by one.
  std::string twice = notesFile(one + one);
  std::string layout;
  std::string stamped = stamp(twice, kLongerJson, &layout);
  Result<FileReport> report = readElfImage(stamped, "out");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(*toPayloadJson(report->packages[0].metadata), kLongerJson);
  auto file = *llvm::object::ELFFile<llvm::object::ELF64LE>::create(stamped);
  auto phdrs = *file.program_headers();
  auto note = encodePackageNote(kLongerJson, Endian::Little);
  EXPECT_EQ(phdrs[1].p_type, PT_NOTE);
  EXPECT_EQ(phdrs[1].p_filesz, note.size());
  EXPECT_EQ(stamped.substr(phdrs[1].p_offset, note.size()), std::string(note.begin(), note.end()));
  EXPECT_EQ(stamp(stamped, kLongerJson), stamped);
  // Different ones: refused, saying where they are.
  Result<StampPlan> different = plan(notesFile(one + other), kJson);
  ASSERT_FALSE(different);
  EXPECT_EQ(different.error().message, "'in': 2 different package notes (at 0xe8, " +
                                           hex(0xe8 + one.size() / 2) +
                                           "): which one to replace is not clear");
}

TEST(Stamp, FindsThePackageNoteAfterAnEightAlignedNote) {
  // In an 8-aligned PT_NOTE (x86-64's .note.gnu.property; mold puts every note there), a note's
  // desc starts at the 8-aligned offset after its name, 16 bytes in for "GNU". The planner's own
  // walk once put it at 20, read the next note 4 bytes late and missed the package note there,
  // so the stamped file had two different ones (CI's fuzz_stamp find of session 8).
  std::string property = "04000000" "10000000" "05000000" "474e5500" // namesz, descsz, type, GNU
                         "020000c0" "04000000" "03000000" "00000000"; // x86 feature: IBT, SHSTK
  std::string old = noteHex(false, kFdo, kPackageNoteType, kJson + std::string(1, '\0'));
  std::string input = notesFile(property + old, 8);
  Result<FileReport> before = readElfImage(input, "in");
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_EQ(before->packages.size(), 1u);
  // A note of the same size replaces it where it is.
  std::string sameSize = kJson;
  sameSize.replace(sameSize.find("hello"), 5, "hallo");
  std::string stamped = stamp(input, sameSize);
  Result<FileReport> report = readElfImage(stamped, "out");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->packages.size(), 1u);
  EXPECT_EQ(*toPayloadJson(report->packages[0].metadata), sameSize);
  EXPECT_EQ(stamp(stamped, sameSize), stamped);
  // One of another size would need the note's own section: refused, naming where it is.
  Result<StampPlan> longer = plan(input, kLongerJson);
  ASSERT_FALSE(longer);
  EXPECT_EQ(longer.error().message,
            "'in': no safe layout: the package note at 0x108 has no section of its own inside a "
            "PT_NOTE, and the new one has another size");
}

// Plans the fuzz_stamp seed NAME (SIZE bytes, so that a changed seed is noticed) with the
// fuzzer's own note, and expects the refusal MESSAGE.
void expectSeedRefused(const char *name, std::size_t size, const std::string &message) {
  std::ifstream in(std::string(PKGNOTE_SOURCE_DIR "/fuzz/seeds/fuzz_stamp/") + name,
                   std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size(), size);
  Result<StampPlan> result =
      plan(bytes, R"({"type":"deb","name":"fuzz","version":"1.0-1","architecture":"any"})");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, message);
}

TEST(Stamp, RefusesNoteSegmentThatReadersSkip) {
  // fuzz_stamp's crash: a PT_NOTE holds a package note with a truncated payload of the new
  // note's size, then a note whose size runs past the segment. The reader skips that PT_NOTE
  // (and falls back to the sections: none is SHT_NOTE), so the replaced note would not read.
  expectSeedRefused(
      "regression-10", 536,
      "'in': note segment at 0xb0: a note extends past its end (readers ignore the segment)");
}

TEST(Stamp, RefusesSectionOverProgramHeaders) {
  // fuzz_stamp's find: .eh_frame's header claims bytes inside the program header table, which
  // the shrinking note's rewrite patches (PT_NOTE's p_filesz), so the section changed.
  expectSeedRefused("regression-section-over-program-headers", 8844,
                    "'in': section 4 at 0x79 overlaps the ELF header or the program header table");
}

TEST(Stamp, RefusesProgramHeaderEntryThatIsNotTheTable) {
  // fuzz_stamp's find (-seed=9): a PT_PHDR far past the file's end with p_filesz 0 got the new
  // table's size, so the stamped file's headers pointed outside it and stamping it again refused.
  expectSeedRefused(
      "regression-phdr-elsewhere", 360,
      "'in': program header 1: PT_PHDR at 0xa000078 is not the program header table at 0x34");
}

TEST(Stamp, RefusesCoreAndNonElf) {
  std::string core = yamlToElf(
      Layout<llvm::object::ELF64LE>::yaml(Layout<llvm::object::ELF64LE>::dynstr, "ET_CORE"));
  Result<StampPlan> result = plan(core, kJson);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "'in': core file: only executables and shared objects are stamped");
  StampOptions walk;
  walk.skipUnstampable = true;
  Result<StampPlan> skipped = plan(core, kJson, walk);
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->outcome.action, StampAction::Skipped);
  Result<StampPlan> text = plan("#!/bin/sh\necho hello\n", kJson);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message, "'in': not an ELF file");
}

} // namespace
