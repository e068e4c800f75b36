// SPDX-License-Identifier: MIT
// The .note.dlopen descriptor (read/dlopen_note.h): systemd's JSON array of entries, what is kept
// of each, and the malformed notes that become dlopenError instead of a failed read.
#include "read/dlopen_note.h"

#include <gtest/gtest.h>

namespace pkgnote::detail {
namespace {

Dependencies parsed(std::vector<std::string> notes) {
  Dependencies dependencies;
  parseDlopenNotes(notes, dependencies);
  return dependencies;
}

TEST(DlopenNoteTest, KeepsEveryEntryOfEveryNoteInOrder) {
  Dependencies d =
      parsed({std::string(R"([{"feature":"zstd","description":"Support zstd compression",)"
                          R"("priority":"recommended","soname":["libzstd.so.1"],"future":1}])") +
                  std::string(3, '\0'), // descsz counting the padding
              R"([{"soname":["libtss2-esys.so.0","libtss2-esys.so.1"]}])"});
  ASSERT_EQ(d.dlopen.size(), 2u);
  EXPECT_EQ(d.dlopen[0].feature, "zstd");
  EXPECT_EQ(d.dlopen[0].description, "Support zstd compression");
  EXPECT_EQ(d.dlopen[0].priority, "recommended");
  EXPECT_EQ(d.dlopen[0].sonames, std::vector<std::string>{"libzstd.so.1"});
  EXPECT_EQ(d.dlopen[1].feature, "");
  EXPECT_EQ(d.dlopen[1].sonames,
            (std::vector<std::string>{"libtss2-esys.so.0", "libtss2-esys.so.1"}));
  EXPECT_EQ(d.dlopenError, "");
}

TEST(DlopenNoteTest, MalformedNotesAreAnErrorAndTheOthersStillRead) {
  EXPECT_EQ(parsed({"[{"}).dlopenError, "dlopen note 1: not JSON");
  EXPECT_EQ(parsed({R"({"soname":["a"]})"}).dlopenError, "dlopen note 1: not a JSON array");
  EXPECT_EQ(parsed({"[1]"}).dlopenError, "dlopen note 1: entry 0: not an object");
  EXPECT_EQ(parsed({R"([{"feature":"x"}])"}).dlopenError,
            "dlopen note 1: entry 0: \"soname\" is not a non-empty array");
  EXPECT_EQ(parsed({R"([{"soname":[""]}])"}).dlopenError,
            "dlopen note 1: entry 0: \"soname\" holds something other than a name");
  EXPECT_EQ(parsed({R"([{"soname":["a"],"feature":7}])"}).dlopenError,
            "dlopen note 1: entry 0: \"feature\" is not a string");
  EXPECT_EQ(parsed({"[\"\xff\"]"}).dlopenError, "dlopen note 1: not JSON");
  Dependencies d =
      parsed({R"([{"soname":["libok.so.1"]},{"soname":[]}])", R"([{"soname":["libnext.so.2"]}])"});
  EXPECT_EQ(d.dlopenError, "dlopen note 1: entry 1: \"soname\" is not a non-empty array");
  ASSERT_EQ(d.dlopen.size(), 1u); // nothing of the bad note, all of the good one
  EXPECT_EQ(d.dlopen[0].sonames, std::vector<std::string>{"libnext.so.2"});
}

} // namespace
} // namespace pkgnote::detail
