// SPDX-License-Identifier: MIT
// Chooses a renderer by --format name. The renderers themselves live in
// render_linker_script.cpp (script forms) and render_flags.cpp (--package-metadata forms).
#include "pkgnote/render.h"

#include <array>
#include <utility>

namespace pkgnote {
namespace {

constexpr std::array<std::pair<std::string_view, OutputFormat>, 6> kFormats = {{
    {"linker-script", OutputFormat::LinkerScript},
    {"lld-script", OutputFormat::LldScript},
    {"ld-flag", OutputFormat::LdFlag},
    {"specs", OutputFormat::Specs},
    {"json", OutputFormat::Json},
    {"note", OutputFormat::Note},
}};

} // namespace

Result<OutputFormat> parseOutputFormat(std::string_view name) {
  for (const auto &[formatName, format] : kFormats)
    if (formatName == name)
      return format;
  return Error{"--format: unknown format '" + std::string(name) +
               "' (expected linker-script, lld-script, ld-flag, specs, json or note)"};
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
  }
  return Error{"--format: unsupported output format"};
}

} // namespace pkgnote
