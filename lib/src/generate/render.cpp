// SPDX-License-Identifier: MIT
// Chooses a renderer by --format name. The renderers themselves live in
// render_linker_script.cpp (script forms), render_flags.cpp (--package-metadata forms) and
// render_coff.cpp (the PE/COFF object).
#include "pkgnote/render.h"

#include <array>
#include <utility>

namespace pkgnote {
namespace {

constexpr std::array<std::pair<std::string_view, OutputFormat>, 7> kFormats = {{
    {"linker-script", OutputFormat::LinkerScript},
    {"lld-script", OutputFormat::LldScript},
    {"ld-flag", OutputFormat::LdFlag},
    {"specs", OutputFormat::Specs},
    {"json", OutputFormat::Json},
    {"note", OutputFormat::Note},
    {"coff", OutputFormat::Coff},
}};

} // namespace

Result<OutputFormat> parseOutputFormat(std::string_view name) {
  for (const auto &[formatName, format] : kFormats)
    if (formatName == name)
      return format;
  return Error{"--format: unknown format '" + std::string(name) +
               "' (expected linker-script, lld-script, ld-flag, specs, json, note or coff)"};
}

Result<std::string> render(std::string_view json, OutputFormat format,
                           const RenderOptions &options) {
  switch (format) {
  case OutputFormat::LinkerScript:
    return renderLinkerScript(json, options);
  case OutputFormat::LldScript:
    return renderLldScript(json);
  case OutputFormat::LdFlag:
    return renderLdFlag(json);
  case OutputFormat::Specs:
    return renderSpecs(json);
  case OutputFormat::Json:
    return std::string(json) + "\n";
  case OutputFormat::Note: {
    std::vector<std::uint8_t> bytes = encodePackageNote(json, options.endian);
    return std::string(bytes.begin(), bytes.end());
  }
  case OutputFormat::Coff:
    return renderCoffObject(json, options.coffMachine);
  }
  return Error{"--format: unsupported output format"};
}

} // namespace pkgnote
