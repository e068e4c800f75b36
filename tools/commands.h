// SPDX-License-Identifier: MIT
// The subcommands of the pkgnote tool. Each registers its options on the CLI11 app, keeps them
// in a plain struct, and has a run function that returns the process exit status.
#pragma once

#include "pkgnote/cyclonedx.h"
#include "pkgnote/metadata.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

namespace pkgnote::tool {

// A registered subcommand: run() is called when the user chose it.
class Command {
public:
  virtual ~Command() = default;
  virtual CLI::App *subcommand() const = 0;
  virtual int run() = 0;
};

std::unique_ptr<Command> addGenerateCommand(CLI::App &app);
std::unique_ptr<Command> addReadCommand(CLI::App &app);
std::unique_ptr<Command> addBinfmtCommand(CLI::App &app);
std::unique_ptr<Command> addVerifyCommand(CLI::App &app);
std::unique_ptr<Command> addStampCommand(CLI::App &app);
std::unique_ptr<Command> addPsCommand(CLI::App &app);

// Registers FLAG on COMMAND with its value stored in TARGET, which stays empty when the flag is
// not given (generate's and verify's metadata options).
void addOptionalValue(CLI::App &command, const std::string &flag,
                      std::optional<std::string> &target, const std::string &description);

// Registers generate's metadata options (--type ... --rpm, --root) on COMMAND, filling REQUEST
// (generate and stamp: the same options, the same validation by buildMetadata).
void addMetadataOptions(CLI::App &command, MetadataRequest &request);

// Prints "pkgnote: error: MESSAGE" on stderr.
void printError(const std::string &message);
void printWarning(const std::string &message);

// The CycloneDX document's tool version and time (read and ps): SOURCE_DATE_EPOCH, when set, is
// the document's time and makes it reproducible; otherwise now.
Result<CycloneDxOptions> cycloneDxOptionsFromEnvironment();

} // namespace pkgnote::tool
