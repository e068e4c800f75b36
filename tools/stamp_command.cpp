// SPDX-License-Identifier: MIT
// `pkgnote stamp`: builds the payload from generate's metadata options, expands the arguments
// like `read -r` but with each file's hard links (collectStampInputs), stamps each file with
// libpkgnote's stampFile, and turns what happened into a summary line and the exit status.
#include "commands.h"

#include "pkgnote/metadata.h"
#include "pkgnote/payload_json.h"
#include "pkgnote/stamp.h"

#include <iostream>

namespace pkgnote::tool {
namespace {

constexpr int kExitStamped = 0;
constexpr int kExitFailed = 2; // some file could not be stamped, invalid metadata, usage error

const char kFooter[] =
    R"help(Each PATH (an ELF executable, PIE, static program or shared object; any class and byte
order) gets the note `generate --format note` writes for its byte order, in a .note.package
section inside a PT_NOTE inside the first PT_LOAD, next to the program headers in the file's
first page when the layout allows (see docs/stamp.md). The file is replaced through a temporary
file in its directory; mode and owner are kept. A previous package note is replaced; stamping
twice with the same values gives the same bytes. With -r, directories are walked and what is not
an executable or shared object (objects, cores, /usr/lib/debug files, symbolic links, non-ELF
files) is skipped.

A PE image (PE32/PE32+ program, DLL or EFI binary; any machine) gets UAPI.8's .pkgnote section
instead: a new last section (or the existing one replaced), SizeOfImage, SizeOfInitializedData
and a nonzero CheckSum updated. An Authenticode-signed file is refused (left byte-identical)
unless --allow-unsigning, which removes the signature (docs/pe.md).

Examples:
  pkgnote stamp --rpm qemu-user-static-8.2.0-1.fc40.x86_64 --os-cpe auto /usr/bin/qemu-*-static
  pkgnote stamp --type deb --name hello --version 1.2-3 --architecture amd64 -r debian/hello
  pkgnote stamp --if-unstamped --type deb --name app --version 1 -o app.stamped app

With --json, each file gets one JSON object per line on stdout: {"path":...,"action":"stamped",
"layout":...}, "unchanged", "left-alone" (--if-unstamped), or "refused" with "error". The counts
and warnings go to stderr.

Exit status: 0 every file was stamped (or left alone); 2 some file could not be stamped (it is
left byte-identical, the others are still stamped), invalid metadata, an invalid option value,
or a usage error. Stamp has no findings: nothing it does is exit 1.)help";

struct StampCommandOptions {
  std::vector<std::string> paths;
  MetadataRequest request;
  bool ifUnstamped = false;
  bool recursive = false;
  bool json = false;
  bool allowUnsigning = false;
  std::string output;
  bool outputGiven = false; // -o '' is refused, not taken for "in place"
};

struct Tally {
  std::size_t stamped = 0, unchanged = 0, leftAlone = 0, errors = 0;
};

bool isDebugPath(const std::string &path) {
  return path.find("/usr/lib/debug/") != std::string::npos;
}

class StampCommand final : public Command {
public:
  explicit StampCommand(CLI::App &app) {
    command_ = app.add_subcommand(
        "stamp", "Add the package note to linked ELF executables and shared objects, or the "
                 ".pkgnote section to PE images");
    command_->add_option("paths", options_.paths, "ELF files, or directories with -r")->required();
    addMetadataOptions(*command_, options_.request);
    command_->add_flag("--if-unstamped", options_.ifUnstamped,
                       "Leave files that already carry a package note untouched");
    command_->add_flag("-r,--recursive", options_.recursive, "Walk directories");
    command_->add_flag("--json", options_.json,
                       "One JSON object per file per line: path, action (stamped, unchanged, "
                       "left-alone, refused), error");
    command_->add_flag("--allow-unsigning", options_.allowUnsigning,
                       "PE: stamp an Authenticode-signed file by removing its signature");
    output_ = command_
                  ->add_option("-o,--output", options_.output,
                               "Write the stamped file to OUT (one PATH), leaving PATH as it is")
                  ->type_name("OUT");
    command_->footer(kFooter);
  }

  CLI::App *subcommand() const override { return command_; }

  int run() override {
    options_.outputGiven = output_->count() > 0;
    if (options_.outputGiven && options_.output.empty()) {
      printError("--output: an empty name (to stamp in place, leave --output out)");
      return kExitFailed;
    }
    if (options_.outputGiven && (options_.paths.size() != 1 || options_.recursive)) {
      printError("--output takes exactly one PATH and no --recursive");
      return kExitFailed;
    }
    Result<PackageMetadata> metadata = buildMetadata(options_.request);
    Result<std::string> json =
        metadata ? toPayloadJson(*metadata) : Result<std::string>(metadata.error());
    if (!json) {
      printError(json.error().message);
      return kExitFailed;
    }
    Tally tally;
    for (const StampInput &input : collectStampInputs(options_.paths, options_.recursive))
      stampOne(input, *json, tally);
    std::cerr << "pkgnote: files stamped: " << tally.stamped << ", unchanged: " << tally.unchanged
              << ", left alone: " << tally.leftAlone << ", errors: " << tally.errors << '\n';
    return tally.errors ? kExitFailed : kExitStamped;
  }

private:
  void stampOne(const StampInput &stampInput, const std::string &json, Tally &tally) {
    const ReadInput &input = stampInput.input;
    if (input.error) {
      refused(input.path, *input.error, tally);
      return;
    }
    if (input.skipIfNotElf && isDebugPath(input.path))
      return;
    StampOptions stampOptions;
    stampOptions.ifUnstamped = options_.ifUnstamped;
    stampOptions.skipUnstampable = input.skipIfNotElf;
    stampOptions.outputPath = options_.output;
    stampOptions.hardLinks = stampInput.hardLinks;
    stampOptions.allowUnsigning = options_.allowUnsigning;
    Result<StampOutcome> outcome = stampFile(input.path, json, stampOptions);
    if (!outcome) {
      refused(input.path, outcome.error(), tally);
      return;
    }
    if (options_.json && outcome->action != StampAction::Skipped)
      std::cout << stampRecordToJson(input.path, outcome) << '\n';
    switch (outcome->action) {
    case StampAction::Stamped:
      ++tally.stamped;
      for (const std::string &warning : outcome->warnings)
        printWarning("'" + input.path + "': " + warning);
      if (outcome->pe)
        break;
      if (outcome->buildIdLeftFirstPage)
        printWarning("'" + input.path +
                     "': the build-id and package note lie beyond the first page (layout " +
                     outcome->layout + "): a core alone names neither; the file (--root) does");
      else if (!outcome->noteInFirstPage)
        printWarning("'" + input.path + "': the note lies beyond the first page (layout " +
                     outcome->layout +
                     "): a core names this file's package only with the "
                     "file at hand");
      if (outcome->linksNotGiven)
        printWarning("'" + input.path + "': " + std::to_string(outcome->linksNotGiven) +
                     " other hard link(s) of its file not among the paths given keep the old "
                     "bytes and no longer share it");
      break;
    case StampAction::Unchanged:
      ++tally.unchanged;
      break;
    case StampAction::LeftAlone:
      ++tally.leftAlone;
      break;
    case StampAction::Skipped:
      break;
    }
  }

  void refused(const std::string &path, const Error &error, Tally &tally) {
    if (options_.json)
      std::cout << stampRecordToJson(path, Result<StampOutcome>(error)) << '\n';
    std::cout.flush(); // keep stdout and stderr in input order on a terminal
    printError(error.message);
    ++tally.errors;
  }

  CLI::App *command_;
  CLI::Option *output_;
  StampCommandOptions options_;
};

} // namespace

std::unique_ptr<Command> addStampCommand(CLI::App &app) {
  return std::make_unique<StampCommand>(app);
}

} // namespace pkgnote::tool
