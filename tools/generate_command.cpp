// SPDX-License-Identifier: MIT
// `pkgnote generate`: builds package metadata from options and writes it in the form a toolchain
// takes (linker script, driver flag, specs file, JSON, raw note). The work is libpkgnote's
// buildMetadata, toPayloadJson and render; this file only maps options and picks exit codes.
#include "commands.h"

#include "pkgnote/atomic_file.h"
#include "pkgnote/metadata.h"
#include "pkgnote/payload_json.h"
#include "pkgnote/render.h"

#include <iostream>

namespace pkgnote::tool {
namespace {

constexpr int kExitWritten = 0;
constexpr int kExitFailed = 2; // invalid metadata, unreadable root, unwritable output: trouble, as
                               // for every command (generate has no findings, no exit 1)

const char kFooter[] = R"help(Formats (--format), and how each linker takes them:
  linker-script  (default) GNU ld script inserting the note after .note.gnu.build-id, in the
                 PT_NOTE segment: gcc ... -Wl,-dT,FILE (or -Wl,-T,FILE). Its section is
                 READONLY, which GNU ld < 2.38 rejects: pass --readonly no there. gold has no
                 INSERT and refuses this script: use ld-flag or specs with gold.
  lld-script     the variant lld 15+ accepts: clang -fuse-ld=lld ... -Wl,-T,FILE. It types the
                 section SHT_NOTE (TYPE =), which lld 14 rejects: lld 14 cannot put a script's
                 section in PT_NOTE; link a --format note object instead.
  ld-flag        one shell-quoted driver argument carrying --package-metadata=JSON intact
                 (commas and quotes survive) for GNU ld 2.39+, gold 1.16+, lld 15+, mold:
                 eval "gcc ... $(pkgnote generate --format ld-flag ...)"
  specs          a gcc specs file adding --package-metadata to every final link (not -r):
                 gcc -specs=FILE ... (GNU ld 2.39+, gold 1.16+)
  json           the payload alone, e.g. {"type":"rpm","name":"qemu-user-static"}
  note           the raw note bytes, header words in --endian byte order
  coff           a COFF object holding the PE/COFF section .pkgnote (UAPI.8) for a PE link:
                 x86_64-w64-mingw32-gcc ... note.o, or lld-link ... note.o (--coff-machine
                 amd64, i386, arm64 or armnt; docs/pe.md shows objcopy for EFI builds)

Keys are written in the order type, name, version, architecture, osCpe, os, osVersion, appCpe,
debugInfoUrl, then --set keys in the order given. Giving a key twice (e.g. --rpm and --name) is
an error. --os-cpe auto reads ROOT/usr/lib/system-release-cpe, then CPE_NAME from
ROOT/etc/os-release or ROOT/usr/lib/os-release; without a CPE it writes os and osVersion from
ID and VERSION_ID (--os and --os-version win over them).

--os-cpe and --app-cpe (and --set osCpe=/appCpe=) must be a CPE 2.2 URI (cpe:/o:fedoraproject:
fedora:40) or a CPE 2.3 formatted string (cpe:2.3:o:fedoraproject:fedora:40:*:*:*:*:*:*:*).

Exit status: 0 written; 2 invalid metadata (an invalid option value), unreadable root,
unwritable output (nothing is written, an existing output file is left untouched), or a usage
error.)help";

struct GenerateOptions {
  MetadataRequest request;
  std::string format = "linker-script";
  std::string readonly = "yes";
  std::string endian = "little";
  std::string coffMachine = "amd64";
  std::string output;
};

class GenerateCommand : public Command {
public:
  explicit GenerateCommand(CLI::App &app);
  CLI::App *subcommand() const override { return subcommand_; }
  int run() override;

private:
  CLI::App *subcommand_;
  GenerateOptions options_;
};

GenerateCommand::GenerateCommand(CLI::App &app)
    : subcommand_(app.add_subcommand(
          "generate", "Write package metadata as a linker script, linker flag, specs file, JSON, "
                      "raw note or COFF object")) {
  addMetadataOptions(*subcommand_, options_.request);
  subcommand_->add_option("--format", options_.format, "Output format (see below)")
      ->check(CLI::IsMember(
          {"linker-script", "lld-script", "ld-flag", "specs", "json", "note", "coff"}))
      ->capture_default_str();
  subcommand_
      ->add_option("--readonly", options_.readonly, "linker-script: mark the section READONLY")
      ->check(CLI::IsMember({"yes", "no"}))
      ->capture_default_str();
  subcommand_->add_option("--endian", options_.endian, "note: byte order of the header words")
      ->check(CLI::IsMember({"little", "big"}))
      ->capture_default_str();
  subcommand_->add_option("--coff-machine", options_.coffMachine, "coff: the object's machine")
      ->check(CLI::IsMember({"amd64", "i386", "arm64", "armnt"}))
      ->capture_default_str();
  subcommand_
      ->add_option("-o,--output", options_.output,
                   "Write to FILE atomically (temporary file and rename) instead of stdout")
      ->type_name("FILE");
  subcommand_->footer(kFooter);
}

int GenerateCommand::run() {
  Result<PackageMetadata> metadata = buildMetadata(options_.request);
  if (!metadata) {
    printError(metadata.error().message);
    return kExitFailed;
  }
  Result<std::string> json = toPayloadJson(*metadata);
  Result<OutputFormat> format = parseOutputFormat(options_.format);
  if (!json || !format) {
    printError(!json ? json.error().message : "--format: " + format.error().message);
    return kExitFailed;
  }
  RenderOptions renderOptions;
  renderOptions.readonly = options_.readonly == "yes";
  renderOptions.endian = options_.endian == "big" ? Endian::Big : Endian::Little;
  Result<std::uint16_t> machine = parseCoffMachine(options_.coffMachine);
  if (!machine) {
    printError(machine.error().message);
    return kExitFailed;
  }
  renderOptions.coffMachine = *machine;
  Result<std::string> rendered = render(*json, *format, renderOptions);
  if (!rendered) {
    printError(rendered.error().message);
    return kExitFailed;
  }
  if (!options_.output.empty()) {
    Status written = writeFileAtomically(options_.output, *rendered);
    if (!written) {
      printError("--output: " + written.error().message);
      return kExitFailed;
    }
    return kExitWritten;
  }
  std::cout.write(rendered->data(), static_cast<std::streamsize>(rendered->size()));
  std::cout.flush();
  if (!std::cout) {
    printError("standard output: write failed");
    return kExitFailed;
  }
  return kExitWritten;
}

} // namespace

std::unique_ptr<Command> addGenerateCommand(CLI::App &app) {
  return std::make_unique<GenerateCommand>(app);
}

} // namespace pkgnote::tool
