// SPDX-License-Identifier: MIT
// checkCpe (cpe.h): what generate accepts as osCpe/appCpe, case by case against the CPE 2.2 URI
// grammar and NISTIR 7695's formatted-string rules, with the exact message of each refusal; and
// the metadata builder naming the option or the os-release file a bad CPE came from.
#include "pkgnote/cpe.h"
#include "pkgnote/metadata.h"

#include "temp_dir.h"

#include <gtest/gtest.h>

using namespace pkgnote;
using pkgnote::testing::TempDir;

namespace {

std::string problemOf(std::string_view text) {
  Status status = checkCpe(text);
  return status ? "ok" : status.error().message;
}

TEST(CheckCpe, AcceptsUriForms) {
  for (const char *text :
       {"cpe:/o:fedoraproject:fedora:40", "cpe:/o:redhat:enterprise_linux:9::baseos",
        "cpe:/a:acme:my%20app:1.0", "cpe:/h:intel", "cpe:/o",
        "cpe:/a:acme:app:1.0:beta:~~~pro~~:en-us", "cpe:/o:opensuse:leap:15.5"})
    EXPECT_EQ(problemOf(text), "ok") << text;
}

TEST(CheckCpe, AcceptsFormattedStrings) {
  for (const char *text : {"cpe:2.3:o:fedoraproject:fedora:33:*:*:*:*:*:*:*",
                           "cpe:2.3:o:debian:debian_linux:12.0:-:*:*:*:*:*:*",
                           "cpe:2.3:a:acme:a\\:b:1.0\\+git:*:*:en-us:*:*:x86_64:*",
                           "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
                           "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
                           "cpe:2.3:*:acme:*:*:*:*:*:*:*:*:*"})
    EXPECT_EQ(problemOf(text), "ok") << text;
}

TEST(CheckCpe, RejectsWhatIsNeither) {
  EXPECT_EQ(problemOf("not a cpe"),
            "not a CPE 2.2 URI (cpe:/...) or CPE 2.3 formatted string (cpe:2.3:...)");
  EXPECT_EQ(problemOf("fedora"), problemOf("not a cpe"));
  EXPECT_EQ(problemOf("CPE:/o:acme:os"), problemOf("not a cpe"));
  EXPECT_EQ(problemOf("cpe:2.2:o:acme:os"), problemOf("not a cpe"));
}

TEST(CheckCpe, RejectsBadUris) {
  EXPECT_EQ(problemOf("cpe:/"), "component 1 (part): '' is not a, h or o");
  EXPECT_EQ(problemOf("cpe:/x:acme:os"), "component 1 (part): 'x' is not a, h or o");
  EXPECT_EQ(problemOf("cpe:/o:acme:my os"), "component 3 (product): ' ' must be percent-encoded");
  EXPECT_EQ(problemOf("cpe:/o:acme:os:1%2"), "component 4 (version): truncated percent escape");
  EXPECT_EQ(problemOf("cpe:/o:acme:os:1%zz"),
            "component 4 (version): bad percent escape at offset 1");
  EXPECT_EQ(problemOf("cpe:/o:acme:os:1:2:3:en:extra"),
            "a CPE 2.2 URI has at most 7 components, not 8");
  EXPECT_EQ(problemOf("cpe:/o:acme:caf\xc3\xa9"),
            "component 3 (product): byte 0xc3 must be percent-encoded");
  EXPECT_EQ(problemOf("cpe:/o:acme:os*"), "component 3 (product): '*' must be percent-encoded");
}

TEST(CheckCpe, RejectsBadFormattedStrings) {
  EXPECT_EQ(problemOf("cpe:2.3:o:fedoraproject:fedora:33"),
            "a CPE 2.3 formatted string has 11 components after cpe:2.3:, not 4");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:os:1:*:*:*:*:*:*:*:*"),
            "a CPE 2.3 formatted string has 11 components after cpe:2.3:, not 12");
  EXPECT_EQ(problemOf("cpe:2.3:x:acme:os:1:*:*:*:*:*:*:*"),
            "component 1 (part): 'x' is not a, h, o, * or -");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme::1:*:*:*:*:*:*:*"),
            "component 3 (product): empty (use * for any value or - for none)");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:my os:1:*:*:*:*:*:*:*"),
            "component 3 (product): ' ' must be quoted with a backslash");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:os:1+git:*:*:*:*:*:*:*"),
            "component 4 (version): '+' must be quoted with a backslash");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:o*s:1:*:*:*:*:*:*:*"),
            "component 3 (product): '*' inside a value (wildcards only at its ends; quote it as "
            "\\*)");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:\\os:1:*:*:*:*:*:*:*"),
            "component 3 (product): backslash before 'o' (only punctuation is quoted)");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:os:1:*:*:*:*:*:*:x\\"),
            "component 11 (other): backslash at the end quotes nothing");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:**:1:*:*:*:*:*:*:*"),
            "component 3 (product): wildcards without a value");
  EXPECT_EQ(problemOf("cpe:2.3:o:acme:caf\xc3\xa9:1:*:*:*:*:*:*:*"),
            "component 3 (product): byte 0xc3 must be quoted with a backslash");
}

// The message buildMetadata gives for --name x with KEY set to VALUE ("ok" when accepted).
std::string metadataProblem(const std::string &key, const std::string &value) {
  MetadataRequest request;
  request.set = {"name=x"};
  if (key == "--app-cpe")
    request.appCpe = value;
  else if (key == "--os-cpe")
    request.osCpe = value;
  else
    request.set.push_back(key + "=" + value);
  Result<PackageMetadata> metadata = buildMetadata(request);
  return metadata ? "ok" : metadata.error().message;
}

TEST(CheckCpe, MetadataNamesTheOption) {
  EXPECT_EQ(metadataProblem("--app-cpe", "not a cpe"),
            "--app-cpe: 'not a cpe': not a CPE 2.2 URI (cpe:/...) or CPE 2.3 formatted string "
            "(cpe:2.3:...)");
  EXPECT_EQ(metadataProblem("osCpe", "cpe:/q"),
            "--set osCpe: 'cpe:/q': component 1 (part): 'q' is not a, h or o");
  EXPECT_EQ(metadataProblem("--os-cpe", "cpe:2.3:o:fedoraproject:fedora:33:*:*:*:*:*:*:*"), "ok");
  EXPECT_EQ(metadataProblem("other", "not a cpe"), "ok"); // only osCpe and appCpe are CPEs
}

TEST(CheckCpe, AutoNamesTheFileABadCpeCameFrom) {
  TempDir root;
  root.write("usr/lib/system-release-cpe", "Fedora 40\n");
  MetadataRequest request;
  request.osCpe = "auto";
  request.root = root.path();
  Result<PackageMetadata> metadata = buildMetadata(request);
  ASSERT_FALSE(metadata);
  EXPECT_EQ(metadata.error().message,
            "--os-cpe auto: '" + root.path() +
                "/usr/lib/system-release-cpe': 'Fedora 40': not a CPE 2.2 URI (cpe:/...) or CPE "
                "2.3 formatted string (cpe:2.3:...)");
  root.write("usr/lib/system-release-cpe", "cpe:/o:fedoraproject:fedora:40\n");
  EXPECT_TRUE(buildMetadata(request));
}

} // namespace
