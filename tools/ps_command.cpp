// SPDX-License-Identifier: MIT
// `pkgnote ps`: the package builds running processes map (libpkgnote's readProcesses), printed
// as text, JSON Lines or one CycloneDX document; --stale keeps the processes running a build that
// is no longer installed, and says so in the exit status.
#include "commands.h"

#include "pkgnote/ps.h"

#include <iostream>

namespace pkgnote::tool {
namespace {

const char kFooter[] = R"(Read only: /proc/PID/maps, map_files, mem and root; no process is stopped,
traced or signalled. A module's note is read from the file at its path when that is the mapped
file, else from the mapping (root) or the process's memory. A process that cannot be read gets an
error and the run goes on; a process that exits meanwhile is left out.

Exit status: 0 nothing stale (or --stale not given); 1 --stale found a stale process; 2 no process
could be read, or a usage error.)";

struct PsCommandOptions {
  std::vector<int> pids;
  bool json = false;
  std::string format = "text";
  bool stale = false;
};

struct Tally {
  std::size_t read = 0, stale = 0, errors = 0;
};

class PsCommand final : public Command {
public:
  explicit PsCommand(CLI::App &app) {
    command_ = app.add_subcommand(
        "ps", "List the package builds running processes map, and those an upgrade replaced");
    command_->add_option("pids", options_.pids, "Processes to read (default: all)")
        ->type_name("PID")
        ->check(CLI::Range(1, 4194304)); // Linux's PID_MAX_LIMIT
    auto *json = command_->add_flag("--json", options_.json,
                                    "One JSON object per process per line (--format json)");
    command_
        ->add_option("--format", options_.format,
                     "text (default), json (JSON Lines) or cyclonedx (one CycloneDX 1.6 SBOM)")
        ->check(CLI::IsMember({"text", "json", "cyclonedx"}))
        ->excludes(json);
    command_->add_flag("--stale", options_.stale,
                       "Only processes running a build no longer installed (exit 1 if any)");
    command_->footer(kFooter);
  }

  CLI::App *subcommand() const override { return command_; }

  int run() override {
    if (options_.json)
      options_.format = "json";
    PsOptions psOptions;
    psOptions.pids = options_.pids;
    Tally tally;
    std::vector<ProcessReport> collected;
    Status status = readProcesses(psOptions, [&](const ProcessReport &process) {
      if (process.error) {
        ++tally.errors;
        if (options_.stale)
          return;
      } else {
        ++tally.read;
        bool stale = process.stale();
        tally.stale += stale;
        if (options_.stale && !stale)
          return;
      }
      if (options_.format == "cyclonedx")
        collected.push_back(process);
      else
        std::cout << (options_.format == "json" ? processToJson(process) + "\n"
                                                : processToText(process));
      for (const std::string &warning : process.warnings)
        printWarning("process " + std::to_string(process.pid) + ": " + warning);
    });
    if (!status) {
      printError(status.error().message);
      return 2;
    }
    if (options_.format == "cyclonedx") {
      Result<CycloneDxOptions> sbom = cycloneDxOptionsFromEnvironment();
      if (!sbom) {
        printError(sbom.error().message);
        return 2;
      }
      std::cout << processesToCycloneDx(collected, *sbom);
    }
    std::cout.flush();
    if (options_.format == "text")
      std::cerr << "pkgnote: processes read: " << tally.read << ", stale: " << tally.stale
                << ", unreadable: " << tally.errors << '\n';
    if (tally.read == 0)
      return 2;
    return options_.stale && tally.stale ? 1 : 0;
  }

private:
  CLI::App *command_;
  PsCommandOptions options_;
};

} // namespace

std::unique_ptr<Command> addPsCommand(CLI::App &app) { return std::make_unique<PsCommand>(app); }

} // namespace pkgnote::tool
