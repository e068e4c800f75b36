// SPDX-License-Identifier: MIT
// Fuzzes `pkgnote verify`'s package path: the input is handed to verifyPath as a file (a memfd,
// so nothing touches the disk), recognised as an .rpm (librpm header, libarchive cpio payload) or
// a .deb (libarchive ar, nested control and data tars) by content, and every ELF member is read
// by the streamed reader. Seeds are small real packages. Beyond never crashing, hanging or reading
// out of bounds: every verdict renders as one valid JSON line, and the summary's counts add up
// (leaked-flags verdicts, on text files, are counted apart from the checked ELF files).
#include "fuzz_check.h"

#include "pkgnote/verify.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  int fd = ::memfd_create("fuzz-package", MFD_CLOEXEC);
  if (fd < 0)
    return 0;
  for (std::size_t done = 0; done < size;) {
    ssize_t wrote = ::write(fd, data + done, size - done);
    if (wrote <= 0) {
      ::close(fd);
      return 0;
    }
    done += static_cast<std::size_t>(wrote);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  pkgnote::VerifyOptions options;
  options.jobs = 1;
  std::size_t verdicts = 0, errors = 0, leaked = 0;
  pkgnote::PackageSummary summary =
      pkgnote::verifyPath(path, options, [&](const pkgnote::FileVerdict &verdict) {
        bool leak = verdict.verdict == pkgnote::Verdict::LeakedFlags;
        verdicts += !leak;
        leaked += leak;
        errors += verdict.verdict == pkgnote::Verdict::Error;
        FUZZ_CHECK(!leak || (!verdict.leaked.empty() && verdict.leaked.size() <= 240));
        std::string json = pkgnote::verdictToJson(verdict);
        FUZZ_CHECK(json.find('\n') == std::string::npos);
        FUZZ_CHECK(nlohmann::json::accept(json));
        FUZZ_CHECK(verdict.package == path && !verdict.path.empty() && verdict.path[0] == '/');
        FUZZ_CHECK(verdict.verdict != pkgnote::Verdict::Error || !verdict.error.empty());
      });
  ::close(fd);
  FUZZ_CHECK(summary.checked == verdicts && summary.errors == errors);
  FUZZ_CHECK(summary.leakedFlags == leaked);
  FUZZ_CHECK(summary.ok + summary.unstamped + summary.mismatch + summary.errors == summary.checked);
  FUZZ_CHECK(!summary.error || !summary.error->message.empty());
  return 0;
}
