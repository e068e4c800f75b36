// SPDX-License-Identifier: MIT
// `pkgnote binfmt`: lists binfmt_misc registrations (kernel, binfmt.d, binfmt-support) with their
// interpreter's package note, or with --which names the registration that would run a file. The
// work is libpkgnote's listBinfmt and whichBinfmt; this file only maps options, prints and picks
// the exit code.
#include "commands.h"

#include "pkgnote/binfmt.h"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace pkgnote::tool {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitNoHandler = 1;  // --which: no registration matches the file
constexpr int kExitUnreadable = 2; // a file could not be read or a registration is malformed

const char kFooter[] = R"(Registrations come from ROOT/proc/sys/fs/binfmt_misc (when mounted),
ROOT/{etc,run,usr/local/lib,usr/lib}/binfmt.d/*.conf (a file name in an earlier directory masks
the same name in later ones) and ROOT/usr/share/binfmts (binfmt-support). One registration of a
format is active: of the same name, the kernel's, then binfmt.d's, then binfmt-support's; of the
same magic, the newest; the others say "active: no, shadowed by SOURCE FILE" ("shadowedBy").
With --json, a file that cannot be read is a record {"path":...,"error":...}; notices go to
stderr. Flags: P preserve-argv0,
O open-binary, C credentials (implies O), F fix-binary (the interpreter is opened when registered,
so it works inside chroots and containers).

--which FILE matches FILE's first 256 bytes (magic & mask at offset) and extension against the
kernel's table when it is mounted, else against what boot would register (binfmt.d first, then
binfmt-support; the latest registration is tried first).

Exit status: 0 listed (or, with --which, a handler found); 1 --which found no handler; 2 a file
could not be read, a registration is malformed (the others are still listed), --root is not a
directory, or a usage error.)";

struct BinfmtOptions {
  bool json = false;
  std::string which;
  std::string root = "/";
};

class BinfmtCommand : public Command {
public:
  explicit BinfmtCommand(CLI::App &app);
  CLI::App *subcommand() const override { return subcommand_; }
  int run() override;

private:
  int runWhich(const BinfmtListing &listing);

  CLI::App *subcommand_;
  BinfmtOptions options_;
};

BinfmtCommand::BinfmtCommand(CLI::App &app)
    : subcommand_(app.add_subcommand(
          "binfmt", "List binfmt_misc registrations and their interpreters' package notes")) {
  subcommand_->add_flag("--json", options_.json, "One JSON object per line");
  subcommand_->add_option("--which", options_.which, "Name the registration that would run FILE")
      ->type_name("FILE");
  subcommand_
      ->add_option("--root", options_.root,
                   "Read registrations and interpreters under DIR (default /)")
      ->type_name("DIR");
  subcommand_->footer(kFooter);
}

std::string describeFlags(const BinfmtFlags &flags) {
  std::vector<std::string> words;
  if (flags.preserveArgv0)
    words.push_back("preserve-argv0");
  if (flags.openBinary)
    words.push_back("open-binary");
  if (flags.credentials)
    words.push_back("credentials");
  if (flags.fixBinary)
    words.push_back("fix-binary");
  if (words.empty())
    return "none";
  std::string text = toString(flags) + " (";
  for (std::size_t i = 0; i < words.size(); ++i)
    text += (i ? ", " : "") + words[i];
  return text + ")";
}

std::string hex(const std::vector<std::uint8_t> &bytes) {
  std::ostringstream out;
  for (auto byte : bytes)
    out << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(byte);
  return out.str();
}

std::string describePackage(const BinfmtInterpreter &interpreter) {
  if (interpreter.resolvedPath.empty())
    return "interpreter missing";
  if (interpreter.error)
    return "unreadable (" + *interpreter.error + ")";
  if (!interpreter.package)
    return "unstamped";
  std::string text;
  for (const char *key : {"type", "name", "version", "architecture"})
    if (const std::string *value = interpreter.package->find(key))
      text += (text.empty() ? "" : " ") + *value;
  return text.empty() ? "stamped" : text;
}

// Aligned "key: value" lines, like `pkgnote read` and `systemd-analyze inspect-elf`.
void printText(const BinfmtRegistration &registration) {
  const BinfmtEntry &entry = registration.entry;
  auto line = [](const char *key, const std::string &value) {
    std::cout << std::setw(14) << key << ": " << value << '\n';
  };
  line("name", entry.name);
  line("source", std::string(toString(entry.source)) + " " + entry.origin);
  if (!entry.enabled)
    line("enabled", "no");
  if (!registration.shadowedBy.empty())
    line("active", "no, shadowed by " + registration.shadowedBy);
  else if (!registration.active && entry.enabled)
    line("active", "no, not in the kernel's table");
  else
    line("active", registration.active ? "yes" : "no");
  if (entry.byExtension) {
    line("extension", "." + entry.extension);
  } else {
    line("offset", std::to_string(entry.offset));
    line("magic", hex(entry.magic));
    if (!entry.mask.empty())
      line("mask", hex(entry.mask));
  }
  std::string interpreter = entry.interpreter;
  const std::string &resolved = registration.interpreter.resolvedPath;
  if (!resolved.empty() && resolved != entry.interpreter)
    interpreter += " -> " + resolved;
  line("interpreter", interpreter);
  line("flags", describeFlags(entry.flags));
  if (entry.declaredPackage)
    line("declared by", *entry.declaredPackage);
  if (entry.detector)
    line("detector", *entry.detector);
  line("package", describePackage(registration.interpreter));
}

int BinfmtCommand::runWhich(const BinfmtListing &listing) {
  auto matches = whichBinfmt(listing, options_.which);
  if (!matches) {
    printError(matches.error().message);
    return kExitUnreadable;
  }
  if (options_.json) {
    std::cout << whichToJsonLine(options_.which, *matches) << '\n';
  } else if (matches->empty()) {
    std::cout << options_.which << ": no binfmt_misc registration matches\n";
  } else {
    std::cout << options_.which << ": run by " << matches->front()->entry.name << '\n';
    printText(*matches->front());
    for (std::size_t i = 1; i < matches->size(); ++i)
      std::cout << std::setw(14) << "also matches"
                << ": " << (*matches)[i]->entry.name << " ("
                << toString((*matches)[i]->entry.source) << " " << (*matches)[i]->entry.origin
                << ")\n";
  }
  return matches->empty() ? kExitNoHandler : kExitOk;
}

int BinfmtCommand::run() {
  BinfmtListing listing = listBinfmt(options_.root);
  for (std::size_t i = 0; i < listing.problems.size(); ++i) {
    if (options_.json && options_.which.empty())
      std::cout << binfmtProblemToJsonLine(listing.problemPaths[i], listing.problems[i]) << '\n';
    std::cout.flush(); // keep stdout and stderr in order on a terminal
    printError(listing.problems[i].message);
  }
  int status = listing.problems.empty() ? kExitOk : kExitUnreadable;
  if (!options_.which.empty()) {
    int whichStatus = runWhich(listing);
    return whichStatus == kExitOk ? status : std::max(whichStatus, status);
  }
  if (!listing.kernelMounted && !listing.registrations.empty())
    std::cerr << "pkgnote: binfmt_misc is not mounted: listing configured registrations\n";
  bool first = true;
  for (const auto &registration : listing.registrations) {
    if (options_.json) {
      std::cout << toJsonLine(registration) << '\n';
      continue;
    }
    if (!first)
      std::cout << '\n';
    first = false;
    printText(registration);
  }
  return status;
}

} // namespace

std::unique_ptr<Command> addBinfmtCommand(CLI::App &app) {
  return std::make_unique<BinfmtCommand>(app);
}

} // namespace pkgnote::tool
