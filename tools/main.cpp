// pkgnote: stamp ELF binaries with the freedesktop .note.package note and read it back.
#include "commands.h"

#include <iostream>
#include <vector>

namespace pkgnote::tool {

void printError(const std::string &message) { std::cerr << "pkgnote: error: " << message << '\n'; }
void printWarning(const std::string &message) {
  std::cerr << "pkgnote: warning: " << message << '\n';
}

} // namespace pkgnote::tool

int main(int argc, char **argv) {
  using namespace pkgnote::tool;
  CLI::App app{"pkgnote: stamp ELF binaries with the freedesktop package note and read it back"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(PKGNOTE_VERSION));

  std::vector<std::unique_ptr<Command>> commands;
  // Each subcommand registers itself here.

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    // CLI11 prints the message; usage errors get the documented status 2 (help and version 0).
    int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  for (auto &command : commands)
    if (command->subcommand()->parsed())
      return command->run();
  return 2;
}
