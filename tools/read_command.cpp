// SPDX-License-Identifier: MIT
// `pkgnote read`: expands the arguments (tree_walk.h), reads them in parallel (elf_reader.h),
// prints each report in input order, and turns what happened into the exit status. Text and
// JSON Lines stream; CycloneDX is one document, printed once every input has been read.
#include "commands.h"

#include "pkgnote/cyclonedx.h"
#include "pkgnote/elf_reader.h"
#include "pkgnote/read_arguments.h"

#include <iostream>

namespace pkgnote::tool {
namespace {

const char kFooter[] =
    R"help(Each input is one record: text blocks (path first, package keys indented under
`package:`, `package: unstamped` for a file without a note) or, with --json, one JSON object per
line, a failed input as {"path":...,"error":"..."}. The counts go to stderr. elfType comes from
e_type; a PIE (ET_DYN with PT_INTERP or DF_1_PIE) is an executable. With -r, an OCI image layout
met in a tree is read as an image after the tree's files; an .rpm or a .deb is named with a hint
at `pkgnote verify`.

Examples:
  pkgnote read /usr/bin/qemu-aarch64-static
  pkgnote read --json -r /usr/lib
  pkgnote read -r --exit-zero --format cyclonedx rootfs/ >sbom.cdx.json

Exit status: 0 every file read carries a note; 1 some file is unstamped (0 with --exit-zero);
2 some input could not be read (the others are still reported), or a usage error.)help";

struct ReadCommandOptions {
  std::vector<std::string> paths;
  bool json = false;           // --json: the same as --format json
  std::string format = "text"; // text, json, cyclonedx
  bool recursive = false;
  bool followSymlinks = false;
  unsigned jobs = 0; // 0: one per core
  std::string root = "/";
  std::string ref;
  std::string platform;
  bool exitZero = false; // --exit-zero: unstamped files do not change the exit status
  bool deps = false; // --deps, implied by --format cyclonedx
};

struct Tally {
  std::size_t read = 0, stamped = 0, unstamped = 0, errors = 0;
};

class ReadCommand final : public Command {
public:
  explicit ReadCommand(CLI::App &app) {
    command_ = app.add_subcommand("read", "Print the package notes of ELF files and core files");
    command_
        ->add_option("paths", options_.paths,
                     "ELF files, core files, directories, container images, or - (stdin)")
        ->required();
    auto *json = command_->add_flag("--json", options_.json,
                                    "One JSON object per input per line (--format json)");
    command_
        ->add_option("--format", options_.format,
                     "text (default), json (JSON Lines) or cyclonedx (one CycloneDX 1.6 "
                     "SBOM for all inputs)")
        ->check(CLI::IsMember({"text", "json", "cyclonedx"}))
        ->excludes(json);
    command_->add_flag("-r,--recursive", options_.recursive, "Walk directories");
    command_->add_flag("--follow-symlinks", options_.followSymlinks,
                       "Also follow symbolic links that leave the walked tree");
    command_
        ->add_option("-j,--jobs", options_.jobs,
                     "Files read in parallel (default: chosen per machine and cache)")
        ->check(CLI::Range(1u, 1024u));
    command_->add_flag("--deps", options_.deps,
                       "Also read and resolve each ELF file's DT_NEEDED and dlopen notes "
                       "(implied by --format cyclonedx)");
    command_->add_option("--root", options_.root,
                         "Where the files a core names and the libraries --deps needs are "
                         "looked up (default /)");
    command_->add_option("--ref", options_.ref,
                         "Only the image of this ref name (or docker RepoTag) in an image");
    command_->add_option("--platform", options_.platform,
                         "Only the images of this OS/ARCH[/VARIANT] in an image");
    command_->add_flag("--exit-zero", options_.exitZero,
                       "Exit 0 when files are unstamped (an SBOM or inventory run); an input "
                       "that cannot be read is still exit 2");
    command_->footer(kFooter);
  }

  CLI::App *subcommand() const override { return command_; }

  int run() override {
    if (options_.json)
      options_.format = "json";
    std::optional<CycloneDxOptions> cyclonedx;
    if (options_.format == "cyclonedx") {
      Result<CycloneDxOptions> sbomOptions = cycloneDxOptionsFromEnvironment();
      if (!sbomOptions) {
        printError(sbomOptions.error().message);
        return 2;
      }
      cyclonedx = *sbomOptions;
    }
    unsigned jobs = options_.jobs; // 0: the library's default (elf_reader.h)
    ReadOptions readOptions;
    readOptions.root = options_.root;
    readOptions.dependencies = options_.deps || options_.format == "cyclonedx";
    readOptions.imageRef = options_.ref;
    readOptions.imagePlatform = options_.platform;
    WalkOptions walkOptions{options_.recursive, options_.followSymlinks};
    Tally tally;
    readArguments(options_.paths, walkOptions, jobs, readOptions,
                  [&](const Result<std::optional<FileReport>> &outcome, const std::string &input) {
                    report(outcome, input, tally);
                  });
    if (cyclonedx)
      std::cout << reportsToCycloneDx(collected_, *cyclonedx);
    std::cout.flush();
    if (options_.format == "text")
      std::cerr << "pkgnote: files read: " << tally.read << ", stamped: " << tally.stamped
                << ", unstamped: " << tally.unstamped << ", errors: " << tally.errors << '\n';
    if (tally.errors)
      return 2;
    return tally.unstamped && !options_.exitZero ? 1 : 0;
  }

private:
  void report(const Result<std::optional<FileReport>> &outcome, const std::string &input,
              Tally &tally) {
    if (!outcome) {
      const Error &error = outcome.error();
      if (options_.format == "json")
        std::cout << inputErrorToJson(input, error.message) << '\n';
      std::cout.flush(); // keep stdout and stderr in input order on a terminal
      printError(error.message);
      ++tally.errors;
      return;
    }
    if (!*outcome)
      return; // not ELF, found by a walk
    const FileReport &file = **outcome;
    ++tally.read;
    ++(file.stamped() ? tally.stamped : tally.unstamped);
    if (options_.format == "cyclonedx") {
      collected_.push_back(file);
    } else if (options_.format == "json") {
      std::cout << reportToJson(file) << '\n';
    } else {
      if (tally.read > 1) // a blank line between records, none before the first
        std::cout << '\n';
      printImageHeading(file);
      std::cout << reportToText(file);
    }
    if (file.warnings.empty())
      return;
    std::cout.flush(); // keep stdout and stderr in input order on a terminal
    for (const std::string &warning : file.warnings)
      printWarning("'" + file.path + "': " + warning);
  }

  // Text mode groups an image's files under one heading, printed when the image changes.
  void printImageHeading(const FileReport &file) {
    std::string heading = file.image ? imageHeading(*file.image) : std::string();
    if (heading == lastHeading_)
      return;
    lastHeading_ = heading;
    if (!heading.empty()) // ends in a newline: the image's records follow it directly
      std::cout << heading;
  }

  CLI::App *command_;
  ReadCommandOptions options_;
  std::vector<FileReport> collected_; // --format cyclonedx
  std::string lastHeading_;
};

} // namespace

std::unique_ptr<Command> addReadCommand(CLI::App &app) {
  return std::make_unique<ReadCommand>(app);
}

} // namespace pkgnote::tool
