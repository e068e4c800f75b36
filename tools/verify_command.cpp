// SPDX-License-Identifier: MIT
// `pkgnote verify`: checks that every ELF file of each package (.rpm, .deb or directory) carries
// that package's note. The work is libpkgnote's verifyPaths; this file maps options, prints the
// verdicts (JSON Lines, or a line per file that is not ok and a summary per package) and picks
// the exit code.
#include "commands.h"

#include "pkgnote/metadata.h"
#include "pkgnote/verify.h"

#include <iostream>

namespace pkgnote::tool {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitNotOk = 1;      // some file unstamped, mismatched or leaking the note's flags
constexpr int kExitUnreadable = 2; // some package or file could not be read

const char kFooter[] = R"help(PATH is an .rpm or a .deb (recognised by content), a directory (a build root or an
unpacked tree) or one ELF file. Expected keys: for an rpm, type rpm, the source package's name
(SOURCERPM), VERSION-RELEASE and ARCH; for a deb, type deb, Source (else Package), Version and
Architecture; for a directory or a file, the metadata options, which also override a package's
header values. Only the expected keys are compared. ELF executables and shared objects are
checked; ET_REL objects, cores, files under /usr/lib/debug, symbolic links and --ignore matches
are skipped. --ignore GLOB is matched (fnmatch, `*` crosses `/`) against the absolute path inside
the package (/usr/bin/ls); a GLOB without `/` is also matched against the file name (ls). Text
files that record build flags (rbconfig.rb, _sysconfigdata*.py, *.pc, *.cmake, Makefiles, *.mk,
*.la) and name the build's note file or carry the note's link flags get the verdict leaked-flags.
With --json, a package that cannot be read gets a record without "path": verdict error. The
counts per package go to stderr.

Examples:
  pkgnote verify ~/rpmbuild/RPMS/x86_64/qemu-user-static-*.rpm
  pkgnote verify --type deb --name hello --version 1.2-3 --architecture amd64 debian/hello
  rpmbuild: %_package_note_verify 1 (warn, default) or 2 (fail the build), 0 off
  debhelper: dh $@ --with pkgnote, DEB_PKGNOTE_VERIFY=2 dpkg-buildpackage -b

Exit status: 0 every checked file is ok; 1 some file is unstamped, mismatched or leaked-flags
(0 with --exit-zero); 2 some package or file could not be read (the rest is still checked), an
invalid option value, or a usage error.)help";

struct VerifyCommandOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool exitZero = false;
  MetadataRequest request;
  VerifyOptions verify;
};

class VerifyCommand final : public Command {
public:
  explicit VerifyCommand(CLI::App &app);
  CLI::App *subcommand() const override { return command_; }
  int run() override;

private:
  void addValue(const std::string &flag, std::optional<std::string> &target,
                const std::string &description) {
    addOptionalValue(*command_, flag, target, description);
  }
  bool anyMetadataOption() const;

  CLI::App *command_;
  VerifyCommandOptions options_;
};

VerifyCommand::VerifyCommand(CLI::App &app)
    : command_(app.add_subcommand(
          "verify", "Check that every ELF file of an .rpm, a .deb or a directory carries the "
                    "package's note")) {
  command_->add_option("paths", options_.paths, ".rpm or .deb files, or directories")->required();
  command_->add_flag("--json", options_.json, "One JSON object per checked file per line");
  command_->add_flag("--exit-zero", options_.exitZero,
                     "Exit 0 when files are unstamped or mismatched (an inventory run); an input "
                     "that cannot be read is still exit 2");
  command_->add_option("-j,--jobs", options_.verify.jobs,
                       "Packages (or a directory's files) read in parallel (default: cores)")
      ->check(CLI::Range(1u, 1024u));
  command_
      ->add_option("--ignore", options_.verify.ignore,
                   "Skip files whose absolute path inside the package (/usr/bin/ls), or whose "
                   "name when GLOB has no '/', matches GLOB (repeatable)")
      ->allow_extra_args(false)
      ->type_name("GLOB");
  MetadataRequest &request = options_.request;
  addValue("--type", request.type, "Expected type (key type)");
  addValue("--name", request.name, "Expected name (key name)");
  addValue("--version", request.version, "Expected version (key version)");
  addValue("--architecture", request.architecture, "Expected architecture (key architecture)");
  addValue("--os-cpe", request.osCpe, "Expected osCpe, or 'auto' from the root's os-release");
  addValue("--os", request.os, "Expected os");
  addValue("--os-version", request.osVersion, "Expected osVersion");
  addValue("--app-cpe", request.appCpe, "Expected appCpe");
  addValue("--debuginfod-url", request.debugInfoUrl, "Expected debugInfoUrl");
  command_->add_option("--set", request.set, "Another expected key, KEY=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  addValue("--rpm", request.rpm, "Expected NAME-[EPOCH:]VERSION-RELEASE.ARCH (as generate)");
  command_->add_option("--root", request.root, "Where --os-cpe auto reads os-release files")
      ->type_name("DIR");
  command_->footer(kFooter);
}

bool VerifyCommand::anyMetadataOption() const {
  const MetadataRequest &r = options_.request;
  return r.type || r.name || r.version || r.architecture || r.osCpe || r.os || r.osVersion ||
         r.appCpe || r.debugInfoUrl || r.rpm || !r.set.empty();
}

void printSummary(const PackageSummary &summary) {
  std::cerr << "pkgnote: " << summary.package << ": checked " << summary.checked << ", ok " << summary.ok
            << ", unstamped " << summary.unstamped << ", mismatch " << summary.mismatch
            << ", skipped " << summary.skipped << ", errors "
            << summary.errors + (summary.error ? 1 : 0);
  if (summary.leakedFlags)
    std::cerr << ", leaked-flags " << summary.leakedFlags;
  std::cerr << '\n';
}

int VerifyCommand::run() {
  if (anyMetadataOption()) {
    Result<PackageMetadata> overrides = buildMetadata(options_.request);
    if (!overrides) {
      printError(overrides.error().message);
      return kExitUnreadable;
    }
    options_.verify.overrides = std::move(*overrides);
  }
  bool notOk = false, unreadable = false;
  auto onVerdict = [&](const FileVerdict &verdict) {
    notOk |= verdict.verdict == Verdict::Unstamped || verdict.verdict == Verdict::Mismatch ||
             verdict.verdict == Verdict::LeakedFlags;
    unreadable |= verdict.verdict == Verdict::Error;
    if (options_.json) {
      std::cout << verdictToJson(verdict) << '\n';
    } else if (verdict.verdict == Verdict::Error) {
      std::cout.flush();
      printError(verdict.error);
    } else if (verdict.verdict != Verdict::Ok) {
      std::cout << escapeControlBytes(verdictToText(verdict)) << '\n';
    }
  };
  auto onPackage = [&](const PackageSummary &summary) {
    if (summary.error) {
      unreadable = true;
      if (options_.json) { // the package's own record: no path inside it
        FileVerdict failed;
        failed.package = summary.package;
        failed.verdict = Verdict::Error;
        failed.error = summary.error->message;
        std::cout << verdictToJson(failed) << '\n';
      }
      std::cout.flush(); // keep stdout and stderr in input order on a terminal
      printError(summary.error->message);
    }
    if (!options_.json)
      printSummary(summary);
  };
  verifyPaths(options_.paths, options_.verify, onVerdict, onPackage);
  std::cout.flush();
  if (unreadable)
    return kExitUnreadable;
  return notOk && !options_.exitZero ? kExitNotOk : kExitOk;
}

} // namespace

std::unique_ptr<Command> addVerifyCommand(CLI::App &app) {
  return std::make_unique<VerifyCommand>(app);
}

} // namespace pkgnote::tool
