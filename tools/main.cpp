// SPDX-License-Identifier: MIT
// pkgnote: stamp ELF binaries with the freedesktop .note.package note and read it back.
#include "commands.h"

#include "pkgnote/result.h"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <vector>

namespace pkgnote::tool {

// Messages quote paths and bytes from files nobody vouches for: shown escaped, each stays one line.
void printError(const std::string &message) {
  std::cerr << "pkgnote: error: " << escapeControlBytes(message) << '\n';
}
void addOptionalValue(CLI::App &command, const std::string &flag,
                      std::optional<std::string> &target, const std::string &description) {
  command.add_option_function<std::string>(
      flag, [&target](const std::string &value) { target = value; }, description);
}

// generate's metadata options, shared by the commands that build a note (generate, stamp).
void addMetadataOptions(CLI::App &command, MetadataRequest &request) {
  addOptionalValue(command, "--type", request.type, "Package type (key type): rpm, deb, ...");
  addOptionalValue(command, "--name", request.name, "Package name (key name)");
  addOptionalValue(command, "--version", request.version, "Package version (key version)");
  addOptionalValue(command, "--architecture", request.architecture,
                   "Package architecture (key architecture)");
  addOptionalValue(
      command, "--os-cpe", request.osCpe,
      "CPE of the OS (key osCpe), or 'auto' to read it from the root's os-release files");
  addOptionalValue(command, "--os", request.os, "OS ID (key os)");
  addOptionalValue(command, "--os-version", request.osVersion, "OS VERSION_ID (key osVersion)");
  addOptionalValue(command, "--app-cpe", request.appCpe, "CPE of the package (key appCpe)");
  addOptionalValue(command, "--debuginfod-url", request.debugInfoUrl,
                   "Debuginfod server URL (key debugInfoUrl)");
  command
      .add_option("--set", request.set,
                  "Another key, KEY=VALUE (repeatable, written in order after the well-known keys)")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  addOptionalValue(
      command, "--rpm", request.rpm,
      "RPM NAME-[EPOCH:]VERSION-RELEASE.ARCH: sets type rpm, name, version "
      "(VERSION-RELEASE, without the epoch, as rpm's package-notes macros) and architecture");
  command.add_option("--root", request.root, "Where --os-cpe auto reads os-release files")
      ->capture_default_str()
      ->type_name("DIR");
}

Result<CycloneDxOptions> cycloneDxOptionsFromEnvironment() {
  Result<std::optional<std::int64_t>> epoch =
      parseSourceDateEpoch(std::getenv("SOURCE_DATE_EPOCH"));
  if (!epoch)
    return epoch.error();
  CycloneDxOptions options;
  options.toolVersion = PKGNOTE_VERSION;
  options.reproducible = epoch->has_value();
  options.timestamp = epoch->value_or(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  return options;
}

void printWarning(const std::string &message) {
  std::cerr << "pkgnote: warning: " << escapeControlBytes(message) << '\n';
}

} // namespace pkgnote::tool

int main(int argc, char **argv) {
  using namespace pkgnote::tool;
  CLI::App app{"pkgnote: stamp ELF binaries with the freedesktop package note and read it back"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(PKGNOTE_VERSION));

  std::vector<std::unique_ptr<Command>> commands;
  // Each subcommand registers itself here.
  commands.push_back(addGenerateCommand(app));
  commands.push_back(addReadCommand(app));
  commands.push_back(addBinfmtCommand(app));
  commands.push_back(addVerifyCommand(app));
  commands.push_back(addStampCommand(app));
  commands.push_back(addPsCommand(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    // Help and version print normally (status 0); a usage error is one `pkgnote: error:` line
    // with the documented status 2, like every other error.
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
      return app.exit(e);
    std::string message = e.what();
    if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) &&
        !std::isupper(static_cast<unsigned char>(message[1])))
      message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    printError(message);
    return 2;
  }
  for (auto &command : commands)
    if (command->subcommand()->parsed())
      return command->run();
  return 2;
}
