// SPDX-License-Identifier: MIT
// binfmt registrations: the three textual forms decode to the same bytes, the kernel's checks
// reject what the kernel would reject (each with its message), matching follows check_file(), and
// listing a root follows systemd's masking and the kernel-first order. Inputs are the lines
// Debian 12's qemu-user-static ships.
#include "pkgnote/binfmt.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pkgnote {
namespace {

using testing::TempDir;

const char kQemuAarch64Line[] =
    R"(:qemu-aarch64:M::\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:OPF)";

const std::vector<std::uint8_t> kAarch64Magic = {0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01,
                                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                                 0x00, 0x00, 0x02, 0x00, 0xb7, 0x00};
const std::vector<std::uint8_t> kAarch64Mask = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                0xff, 0xff, 0xfe, 0xff, 0xff, 0xff};

std::string errorOf(std::string_view line) {
  auto entry = parseBinfmtRegistration(line);
  return entry ? "parsed" : entry.error().message;
}

// The first 256 bytes of an ELF64 little-endian file of the given e_type and e_machine.
std::vector<std::uint8_t> elfHead(std::uint8_t type, std::uint16_t machine) {
  std::vector<std::uint8_t> head(256, 0);
  const std::uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  std::copy(std::begin(ident), std::end(ident), head.begin());
  head[16] = type;
  head[18] = static_cast<std::uint8_t>(machine);
  head[19] = static_cast<std::uint8_t>(machine >> 8);
  return head;
}

TEST(BinfmtRegistration, DecodesDebianQemuAarch64Line) {
  auto entry = parseBinfmtRegistration(kQemuAarch64Line);
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->name, "qemu-aarch64");
  EXPECT_FALSE(entry->byExtension);
  EXPECT_EQ(entry->offset, 0u);
  EXPECT_EQ(entry->magic, kAarch64Magic);
  EXPECT_EQ(entry->mask, kAarch64Mask);
  EXPECT_EQ(entry->interpreter, "/usr/libexec/qemu-binfmt/aarch64-binfmt-P");
  EXPECT_TRUE(entry->flags.openBinary);
  EXPECT_TRUE(entry->flags.preserveArgv0);
  EXPECT_TRUE(entry->flags.fixBinary);
  EXPECT_FALSE(entry->flags.credentials);
  EXPECT_EQ(toString(entry->flags), "POF");
}

TEST(BinfmtRegistration, AcceptsAnyDelimiterAndEscapedDelimiterInMagic) {
  // \x2c is the delimiter ',' escaped: the kernel's scanner skips escapes.
  auto entry = parseBinfmtRegistration(",comma,M,4,AB\\x2c,,/bin/interp,P");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->name, "comma");
  EXPECT_EQ(entry->offset, 4u);
  EXPECT_EQ(entry->magic, (std::vector<std::uint8_t>{'A', 'B', ','}));
  EXPECT_TRUE(entry->mask.empty());
  EXPECT_EQ(entry->interpreter, "/bin/interp");
  EXPECT_EQ(toString(entry->flags), "P");
}

TEST(BinfmtRegistration, CredentialsImpliesOpenBinary) {
  auto entry = parseBinfmtRegistration(":c:M::\\x7f::/bin/i:C");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_TRUE(entry->flags.credentials);
  EXPECT_TRUE(entry->flags.openBinary);
  EXPECT_EQ(toString(entry->flags), "OC");
}

TEST(BinfmtRegistration, ExtensionTypeKeepsExtensionAndIgnoresOffset) {
  auto entry = parseBinfmtRegistration(":wine:E:99:exe::/usr/bin/wine:");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_TRUE(entry->byExtension);
  EXPECT_EQ(entry->extension, "exe");
  EXPECT_EQ(entry->offset, 0u);
  EXPECT_EQ(toString(entry->flags), "");
}

TEST(BinfmtRegistration, RejectsWhatTheKernelRejects) {
  EXPECT_EQ(errorOf(":x:M::\\x7f\\x45:\\xff:/bin/i:"),
            "registration 'x': mask is 1 bytes but magic is 2");
  EXPECT_EQ(errorOf(":x:M::\\x7f::/bin/i:Z"), "registration 'x': unknown flag 'Z'");
  EXPECT_EQ(errorOf(":a/b:M::\\x7f::/bin/i:"), "registration: invalid name 'a/b'");
  EXPECT_EQ(errorOf(":x:M::\\x7g::/bin/i:"),
            "registration 'x' magic: \\x at offset 0 is not followed by two hex digits");
  EXPECT_EQ(errorOf(":x:M:255:\\x7f\\x45::/bin/i:"),
            "registration 'x': offset 255 plus magic of 2 bytes exceeds the 256 bytes the kernel "
            "reads");
  EXPECT_EQ(errorOf(":x:Q::\\x7f::/bin/i:"), "registration 'x': type 'Q' is neither M nor E");
  EXPECT_EQ(errorOf(":x:M::::/bin/i:"), "registration 'x': empty magic");
  EXPECT_EQ(errorOf(":x:M::\\x7f:::"), "registration 'x': empty interpreter");
  EXPECT_EQ(errorOf(":x:M:-1:\\x7f::/bin/i:"),
            "registration 'x': offset '-1' is not a decimal number");
  EXPECT_EQ(errorOf(":x:E::a/b::/bin/i:"), "registration 'x': invalid extension 'a/b'");
  EXPECT_EQ(errorOf(":x:M::\\x7f:/bin/i"),
            "registration has 5 fields, expected name:type:offset:magic:mask:interpreter:flags");
  EXPECT_EQ(errorOf(std::string(1921, ':')), "registration longer than 1920 bytes");
}

TEST(BinfmtKernelEntry, DecodesEntryFileAsTheKernelPrintsIt) {
  auto entry = parseBinfmtKernelEntry(
      "qemu-aarch64", "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
                      "flags: POCF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\n"
                      "mask ffffffffffffff00fffffffffffffffffeffffff\n");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->source, BinfmtSource::Kernel);
  EXPECT_TRUE(entry->enabled);
  EXPECT_EQ(entry->magic, kAarch64Magic);
  EXPECT_EQ(entry->mask, kAarch64Mask);
  EXPECT_EQ(toString(entry->flags), "POCF");
}

TEST(BinfmtKernelEntry, DecodesDisabledExtensionEntry) {
  auto entry = parseBinfmtKernelEntry(
      "wine", "disabled\ninterpreter /usr/bin/wine\nflags: \nextension .exe\n");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_FALSE(entry->enabled);
  EXPECT_TRUE(entry->byExtension);
  EXPECT_EQ(entry->extension, "exe");
  EXPECT_EQ(entry->interpreter, "/usr/bin/wine");
}

TEST(BinfmtKernelEntry, RejectsMalformedEntryFiles) {
  EXPECT_EQ(parseBinfmtKernelEntry("x", "maybe\n").error().message,
            "binfmt_misc entry 'x': first line is neither enabled nor disabled");
  EXPECT_EQ(parseBinfmtKernelEntry("x", "enabled\ninterpreter /i\nmagic 7g\n").error().message,
            "binfmt_misc entry 'x' magic: '7g' is not hex");
  EXPECT_EQ(parseBinfmtKernelEntry("x", "enabled\nmagic 7f\n").error().message,
            "binfmt_misc entry 'x': no interpreter line");
}

TEST(BinfmtSupportFormat, DecodesDebianQemuAarch64FormatFile) {
  auto entry = parseBinfmtSupportFormat(
      "qemu-aarch64",
      "package qemu-user-static\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\n"
      "magic \\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
      "\\x02\\x00\\xb7\\x00\noffset 0\n"
      "mask \\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff"
      "\\xfe\\xff\\xff\\xff\ncredentials no\nfix_binary yes\npreserve yes\n");
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->source, BinfmtSource::BinfmtSupport);
  EXPECT_EQ(entry->declaredPackage, "qemu-user-static");
  EXPECT_EQ(entry->magic, kAarch64Magic);
  EXPECT_EQ(entry->mask, kAarch64Mask);
  EXPECT_EQ(toString(entry->flags), "PF");
}

TEST(BinfmtSupportFormat, RejectsFormatWithoutMagicOrExtension) {
  EXPECT_EQ(parseBinfmtSupportFormat("x", "package p\ninterpreter /i\n").error().message,
            "binfmt-support format 'x': needs exactly one of magic and extension");
  EXPECT_EQ(
      parseBinfmtSupportFormat("x", "interpreter /i\nmagic A\npreserve maybe\n").error().message,
      "binfmt-support format 'x': preserve is 'maybe', expected yes or no");
}

TEST(BinfmtMatch, QemuAarch64MatchesAarch64ExecutablesAndPiesOnly) {
  auto entry = parseBinfmtRegistration(kQemuAarch64Line);
  ASSERT_TRUE(entry);
  EXPECT_TRUE(binfmtMatches(*entry, elfHead(2, 183), "a.out")); // ET_EXEC, EM_AARCH64
  EXPECT_TRUE(binfmtMatches(*entry, elfHead(3, 183), "a.out")); // ET_DYN: the mask's 0xfe
  EXPECT_FALSE(binfmtMatches(*entry, elfHead(1, 183), "a.o"));  // ET_REL
  EXPECT_FALSE(binfmtMatches(*entry, elfHead(2, 62), "a.out")); // EM_X86_64
  auto osabi = elfHead(2, 183);
  osabi[7] = 3; // EI_OSABI is masked out
  EXPECT_TRUE(binfmtMatches(*entry, osabi, "a.out"));
}

TEST(BinfmtMatch, ExtensionComparesTextAfterLastDot) {
  auto entry = parseBinfmtRegistration(":wine:E::exe::/usr/bin/wine:");
  ASSERT_TRUE(entry);
  std::vector<std::uint8_t> head(256, 0);
  EXPECT_TRUE(binfmtMatches(*entry, head, "/games/setup.exe"));
  EXPECT_FALSE(binfmtMatches(*entry, head, "/games/setup.exe.bak"));
  EXPECT_FALSE(binfmtMatches(*entry, head, "/games/exe"));
}

TEST(BinfmtList, BinfmtDFollowsSystemdMaskingAndKernelComesFirst) {
  TempDir root;
  root.write("proc/sys/fs/binfmt_misc/status", "enabled\n");
  root.write("proc/sys/fs/binfmt_misc/register", "");
  root.write("proc/sys/fs/binfmt_misc/live",
             "enabled\ninterpreter /bin/live\nflags: F\noffset 0\nmagic 4142\n");
  root.write("etc/binfmt.d/a.conf", "# comment\n; comment\n:from-etc:E::etc::/bin/etc:\n");
  root.write("usr/lib/binfmt.d/a.conf", ":masked-by-etc:E::x::/bin/x:\n");
  root.write("usr/lib/binfmt.d/b.conf", ":from-usr:E::usr::/bin/usr:\n");
  root.write("usr/lib/binfmt.d/c.conf", ":masked-by-dev-null:E::y::/bin/y:\n");
  root.write("usr/lib/binfmt.d/ignored.txt", ":not-a-conf:E::z::/bin/z:\n");
  std::filesystem::create_symlink("/dev/null", root / "etc/binfmt.d/c.conf");
  root.write("usr/share/binfmts/fmt", "package p\ninterpreter /bin/fmt\nextension fmt\n");

  BinfmtListing listing = listBinfmt(root.path());
  EXPECT_TRUE(listing.kernelMounted);
  EXPECT_TRUE(listing.problems.empty());
  std::vector<std::string> names, origins;
  for (const auto &registration : listing.registrations) {
    names.push_back(registration.entry.name);
    origins.push_back(registration.entry.origin);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"live", "from-etc", "from-usr", "fmt"}));
  EXPECT_EQ(origins,
            (std::vector<std::string>{"/proc/sys/fs/binfmt_misc/live", "/etc/binfmt.d/a.conf",
                                      "/usr/lib/binfmt.d/b.conf", "/usr/share/binfmts/fmt"}));
  // Interpreters are looked up under the root: none exists there.
  EXPECT_TRUE(listing.registrations[0].interpreter.resolvedPath.empty());
  EXPECT_EQ(listing.registrations[0].interpreter.error, "'/bin/live': no such file");
}

TEST(BinfmtList, InterpreterSymlinksResolveInsideTheRoot) {
  TempDir root;
  root.write("usr/bin/qemu-aarch64-static", "not an ELF file");
  std::filesystem::create_directories(root / "usr/libexec/qemu-binfmt");
  // An absolute target must restart at the root, not at the host's /.
  std::filesystem::create_symlink("/usr/bin/qemu-aarch64-static",
                                  root / "usr/libexec/qemu-binfmt/aarch64-binfmt-P");
  root.write("usr/lib/binfmt.d/q.conf", kQemuAarch64Line + std::string("\n"));
  BinfmtListing listing = listBinfmt(root.path());
  ASSERT_EQ(listing.registrations.size(), 1u);
  EXPECT_FALSE(listing.kernelMounted);
  EXPECT_EQ(listing.registrations[0].interpreter.resolvedPath, "/usr/bin/qemu-aarch64-static");
  EXPECT_FALSE(listing.registrations[0].interpreter.package);
  EXPECT_TRUE(listing.registrations[0].interpreter.error); // not ELF: an error, not "unstamped"
}

TEST(BinfmtList, ReportsMalformedLinesAndKeepsTheOthers) {
  TempDir root;
  root.write("usr/lib/binfmt.d/x.conf", ":good:E::g::/bin/g:\n:bad:M::\\x7f::/bin/b:Z\n");
  BinfmtListing listing = listBinfmt(root.path());
  ASSERT_EQ(listing.registrations.size(), 1u);
  EXPECT_EQ(listing.registrations[0].entry.name, "good");
  ASSERT_EQ(listing.problems.size(), 1u);
  // The file as seen inside the root, then the root: not the path on this host.
  EXPECT_EQ(listing.problems[0].message,
            "'/usr/lib/binfmt.d/x.conf': line 2: registration 'bad': unknown flag 'Z' (under "
            "--root '" +
                std::string(root.path()) + "')");
  ASSERT_EQ(listing.problemPaths.size(), 1u);
  EXPECT_EQ(listing.problemPaths[0], "/usr/lib/binfmt.d/x.conf");
}

TEST(BinfmtList, MissingRootIsAProblemNamingIt) {
  BinfmtListing listing = listBinfmt("/nonexistent/pkgnote-root");
  EXPECT_TRUE(listing.registrations.empty());
  ASSERT_EQ(listing.problems.size(), 1u);
  EXPECT_EQ(listing.problems[0].message,
            "--root: '/nonexistent/pkgnote-root': no such file or directory");
  EXPECT_EQ(listing.problemPaths[0], "/nonexistent/pkgnote-root");
}

// qemu-user-static's two registrations of one format: binfmt.d's wins over binfmt-support's of
// the same name; of two names with the same magic the later registered wins (the kernel tries the
// newest first, as --which does); the kernel's table, when mounted, wins over both, and what it
// does not hold is not active.
TEST(BinfmtList, DuplicateRegistrationsNameTheOneThatWins) {
  TempDir root;
  root.write("usr/lib/binfmt.d/qemu-aarch64.conf", ":qemu-aarch64:M::AB::/bin/q:POF\n");
  root.write("usr/lib/binfmt.d/other.conf", ":other:M::AB::/bin/o:\n:own:E::own::/bin/own:\n");
  root.write("usr/share/binfmts/qemu-aarch64", "interpreter /bin/q\nmagic AB\n");
  BinfmtListing listing = listBinfmt(root.path());
  ASSERT_EQ(listing.registrations.size(), 4u);
  std::vector<std::string> states;
  for (const auto &registration : listing.registrations)
    states.push_back(registration.entry.name + " " + (registration.active ? "active" : "shadowed") +
                     " " + registration.shadowedBy);
  EXPECT_EQ(states, (std::vector<std::string>{
                        "other shadowed binfmt.d /usr/lib/binfmt.d/qemu-aarch64.conf",
                        "own active ", "qemu-aarch64 active ",
                        "qemu-aarch64 shadowed binfmt.d /usr/lib/binfmt.d/qemu-aarch64.conf"}));

  root.write("proc/sys/fs/binfmt_misc/status", "enabled\n");
  root.write("proc/sys/fs/binfmt_misc/qemu-aarch64",
             "enabled\ninterpreter /bin/q\nflags: POF\noffset 0\nmagic 4142\n");
  listing = listBinfmt(root.path());
  ASSERT_EQ(listing.registrations.size(), 5u);
  EXPECT_TRUE(listing.registrations[0].active); // the kernel's
  for (std::size_t i = 1; i < listing.registrations.size(); ++i)
    EXPECT_FALSE(listing.registrations[i].active) << listing.registrations[i].entry.name;
  EXPECT_EQ(listing.registrations[4].shadowedBy, "kernel /proc/sys/fs/binfmt_misc/qemu-aarch64");
  EXPECT_EQ(listing.registrations[2].shadowedBy, ""); // "own": not in the mounted table
}

TEST(BinfmtWhich, ConfiguredRegistrationsTryTheLatestFirstAndSkipTakenNames) {
  TempDir root;
  root.write("usr/lib/binfmt.d/a.conf", ":first:M::AB::/bin/first:\n:dup:M::AB::/bin/dup1:\n");
  root.write("usr/share/binfmts/dup", "interpreter /bin/dup2\nmagic AB\n");
  root.write("usr/share/binfmts/later", "interpreter /bin/later\nmagic A\n");
  root.write("file", "ABC");
  BinfmtListing listing = listBinfmt(root.path());
  auto matches = whichBinfmt(listing, root / "file");
  ASSERT_TRUE(matches) << matches.error().message;
  std::vector<std::string> interpreters;
  for (const auto *registration : *matches)
    interpreters.push_back(registration->entry.interpreter);
  // binfmt-support's "dup" fails with EEXIST after systemd registered it.
  EXPECT_EQ(interpreters, (std::vector<std::string>{"/bin/later", "/bin/dup1", "/bin/first"}));
  EXPECT_EQ(whichBinfmt(listing, root / "missing").error().message,
            "'" + (root / "missing") + "': no such file or directory");
}

TEST(BinfmtJson, RegistrationLineHasDecodedFieldsInOrder) {
  auto entry = parseBinfmtRegistration(kQemuAarch64Line);
  ASSERT_TRUE(entry);
  entry->origin = "/usr/lib/binfmt.d/qemu-aarch64.conf";
  BinfmtRegistration registration{*entry, {}};
  registration.interpreter.resolvedPath = "/usr/bin/qemu-aarch64-static";
  registration.interpreter.package = PackageMetadata{{{"type", "deb"}, {"name", "qemu"}}};
  EXPECT_EQ(
      toJsonLine(registration),
      R"({"name":"qemu-aarch64","source":"binfmt.d","origin":"/usr/lib/binfmt.d/qemu-aarch64.conf",)"
      R"("enabled":true,"active":true,"type":"magic","offset":0,"magic":"7f454c460201010000000000000000000200b700",)"
      R"("mask":"ffffffffffffff00fffffffffffffffffeffffff","interpreter":"/usr/libexec/qemu-binfmt/aarch64-binfmt-P",)"
      R"("interpreterPath":"/usr/bin/qemu-aarch64-static","flags":"POF","preserveArgv0":true,)"
      R"("openBinary":true,"credentials":false,"fixBinary":true,"stamped":true,)"
      R"("package":{"type":"deb","name":"qemu"}})");
}

} // namespace
} // namespace pkgnote
