// SPDX-License-Identifier: MIT
// pkgnote: stamp ELF binaries with the freedesktop .note.package note and read it back.
#include "commands.h"

#include "pkgnote/result.h"

#include <cctype>
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
