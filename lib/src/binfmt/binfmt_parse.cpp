// SPDX-License-Identifier: MIT
// The three textual forms of a binfmt_misc registration: the register string (binfmt.d lines),
// the kernel's per-entry status file, and binfmt-support's format files. The register string is
// checked the way fs/binfmt_misc.c checks it, so that a line the kernel would refuse is reported
// instead of being listed as if it worked.
#include "pkgnote/binfmt.h"

#include "binfmt/binfmt_internal.h"
#include "support/utf8.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <string>

using llvm::StringRef;

namespace pkgnote {
namespace {

using binfmt_detail::makeError;
using binfmt_detail::toResult;

// The kernel reads this many bytes of a file before choosing its handler (BINPRM_BUF_SIZE).
constexpr std::size_t kBinprmBufSize = 256;
// The kernel refuses longer register strings (MAX_REGISTER_LENGTH).
constexpr std::size_t kMaxRegisterLength = 1920;

bool isHex(char c) { return llvm::isHexDigit(c); }

// \xHH escapes become bytes; any other character stands for itself (string_unescape_inplace with
// UNESCAPE_HEX). The kernel's field scanner insists on two hex digits after \x.
llvm::Expected<std::vector<std::uint8_t>> unescapeHex(StringRef field, StringRef what) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 1 < field.size() && field[i + 1] == 'x') {
      if (i + 3 >= field.size() || !isHex(field[i + 2]) || !isHex(field[i + 3]))
        return makeError(
            (what + ": \\x at offset " + llvm::Twine(i) + " is not followed by two hex digits")
                .str());
      bytes.push_back(static_cast<std::uint8_t>(llvm::hexFromNibbles(field[i + 2], field[i + 3])));
      i += 3;
      continue;
    }
    bytes.push_back(static_cast<std::uint8_t>(field[i]));
  }
  return bytes;
}

llvm::Expected<std::uint32_t> parseOffset(StringRef text, StringRef what) {
  if (text.empty())
    return 0;
  std::uint32_t value = 0;
  if (text.getAsInteger(10, value))
    return makeError((what + ": offset '" + text + "' is not a decimal number").str());
  return value;
}

llvm::Error checkName(StringRef name, StringRef what) {
  if (name.empty() || name == "." || name == ".." || name.contains('/'))
    return makeError((what + ": invalid name " + detail::quoted(name)).str());
  return llvm::Error::success();
}

llvm::Error checkMagicFits(const BinfmtEntry &entry, StringRef what) {
  if (entry.magic.empty())
    return makeError((what + ": empty magic").str());
  if (!entry.mask.empty() && entry.mask.size() != entry.magic.size())
    return makeError((what + ": mask is " + llvm::Twine(entry.mask.size()) +
                      " bytes but magic is " + llvm::Twine(entry.magic.size()))
                         .str());
  if (entry.magic.size() > kBinprmBufSize || kBinprmBufSize - entry.magic.size() < entry.offset)
    return makeError((what + ": offset " + llvm::Twine(entry.offset) + " plus magic of " +
                      llvm::Twine(entry.magic.size()) + " bytes exceeds the " +
                      llvm::Twine(kBinprmBufSize) + " bytes the kernel reads")
                         .str());
  return llvm::Error::success();
}

llvm::Expected<BinfmtFlags> parseRegisterFlags(StringRef text, StringRef what) {
  BinfmtFlags flags;
  for (char c : text) {
    switch (c) {
    case 'P':
      flags.preserveArgv0 = true;
      break;
    case 'O':
      flags.openBinary = true;
      break;
    case 'C':
      flags.credentials = flags.openBinary = true;
      break;
    case 'F':
      flags.fixBinary = true;
      break;
    default:
      return makeError((what + ": unknown flag " + detail::quoted(StringRef(&c, 1))).str());
    }
  }
  return flags;
}

llvm::Expected<BinfmtEntry> parseRegistration(StringRef line) {
  line = line.rtrim("\r\n");
  if (line.size() > kMaxRegisterLength)
    return makeError("registration longer than " + std::to_string(kMaxRegisterLength) + " bytes");
  if (line.size() < 2)
    return makeError("registration too short");
  char delimiter = line.front();
  llvm::SmallVector<StringRef, 8> fields;
  line.drop_front().split(fields, delimiter, /*MaxSplit=*/6);
  if (fields.size() < 7)
    return makeError("registration has " + std::to_string(fields.size()) +
                     " fields, expected name:type:offset:magic:mask:interpreter:flags");
  BinfmtEntry entry;
  StringRef name = fields[0];
  if (auto error = checkName(name, "registration"))
    return error;
  entry.name = name.str();
  std::string what = "registration " + detail::quoted(entry.name);
  if (fields[1] != "M" && fields[1] != "E")
    return makeError(what + ": type '" + fields[1].str() + "' is neither M nor E");
  entry.byExtension = fields[1] == "E";
  if (entry.byExtension) {
    // The kernel ignores offset and mask for extensions; the extension may not hold a '/'.
    if (fields[3].empty() || fields[3].contains('/'))
      return makeError(what + ": invalid extension " + detail::quoted(fields[3]));
    entry.extension = fields[3].str();
  } else {
    auto offset = parseOffset(fields[2], what);
    if (!offset)
      return offset.takeError();
    entry.offset = *offset;
    auto magic = unescapeHex(fields[3], what + " magic");
    if (!magic)
      return magic.takeError();
    entry.magic = std::move(*magic);
    auto mask = unescapeHex(fields[4], what + " mask");
    if (!mask)
      return mask.takeError();
    entry.mask = std::move(*mask);
    if (auto error = checkMagicFits(entry, what))
      return error;
  }
  if (fields[5].empty())
    return makeError(what + ": empty interpreter");
  entry.interpreter = fields[5].str();
  auto flags = parseRegisterFlags(fields[6].rtrim(), what);
  if (!flags)
    return flags.takeError();
  entry.flags = *flags;
  return entry;
}

llvm::Expected<std::vector<std::uint8_t>> parseHexBytes(StringRef text, StringRef what) {
  std::string bytes;
  if (text.size() % 2 != 0 || !llvm::tryGetFromHex(text, bytes))
    return makeError((what + ": '" + text + "' is not hex").str());
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

llvm::Expected<BinfmtEntry> parseKernelEntry(StringRef name, StringRef text) {
  BinfmtEntry entry;
  entry.name = name.str();
  entry.source = BinfmtSource::Kernel;
  std::string what = "binfmt_misc entry " + detail::quoted(entry.name);
  llvm::SmallVector<StringRef, 8> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  if (lines.empty() || (lines[0] != "enabled" && lines[0] != "disabled"))
    return makeError(what + ": first line is neither enabled nor disabled");
  entry.enabled = lines[0] == "enabled";
  bool haveMagic = false;
  for (StringRef line : llvm::makeArrayRef(lines).drop_front()) {
    auto [key, value] = line.split(' ');
    if (key == "interpreter") {
      entry.interpreter = value.str();
    } else if (key == "flags:") {
      auto flags = parseRegisterFlags(value.trim(), what);
      if (!flags)
        return flags.takeError();
      entry.flags = *flags;
    } else if (key == "offset") {
      auto offset = parseOffset(value, what);
      if (!offset)
        return offset.takeError();
      entry.offset = *offset;
    } else if (key == "magic") {
      auto magic = parseHexBytes(value, what + " magic");
      if (!magic)
        return magic.takeError();
      entry.magic = std::move(*magic);
      haveMagic = true;
    } else if (key == "mask") {
      auto mask = parseHexBytes(value, what + " mask");
      if (!mask)
        return mask.takeError();
      entry.mask = std::move(*mask);
    } else if (key == "extension") {
      entry.byExtension = true;
      entry.extension = value.drop_front(value.startswith(".") ? 1 : 0).str();
    }
    // Later kernels may add lines; they do not change what we report.
  }
  if (entry.interpreter.empty())
    return makeError(what + ": no interpreter line");
  if (!entry.byExtension && !haveMagic)
    return makeError(what + ": neither magic nor extension");
  if (!entry.byExtension)
    if (auto error = checkMagicFits(entry, what))
      return error;
  return entry;
}

llvm::Expected<bool> parseYesNo(StringRef value, StringRef what, StringRef key) {
  if (value == "yes")
    return true;
  if (value == "no" || value.empty())
    return false;
  return makeError((what + ": " + key + " is '" + value + "', expected yes or no").str());
}

llvm::Expected<BinfmtEntry> parseSupportFormat(StringRef name, StringRef text) {
  BinfmtEntry entry;
  entry.name = name.str();
  entry.source = BinfmtSource::BinfmtSupport;
  std::string what = "binfmt-support format " + detail::quoted(entry.name);
  if (auto error = checkName(name, what))
    return error;
  llvm::SmallVector<StringRef, 12> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  bool haveMagic = false;
  for (StringRef rawLine : lines) {
    StringRef line = rawLine.trim();
    if (line.empty())
      continue;
    auto [key, rest] = line.split(' ');
    StringRef value = rest.trim();
    if (key == "package") {
      entry.declaredPackage = value.str();
    } else if (key == "interpreter") {
      entry.interpreter = value.str();
    } else if (key == "magic") {
      auto magic = unescapeHex(value, what + " magic");
      if (!magic)
        return magic.takeError();
      entry.magic = std::move(*magic);
      haveMagic = true;
    } else if (key == "mask") {
      auto mask = unescapeHex(value, what + " mask");
      if (!mask)
        return mask.takeError();
      entry.mask = std::move(*mask);
    } else if (key == "offset") {
      auto offset = parseOffset(value, what);
      if (!offset)
        return offset.takeError();
      entry.offset = *offset;
    } else if (key == "extension") {
      entry.byExtension = true;
      entry.extension = value.str();
    } else if (key == "detector") {
      if (!value.empty())
        entry.detector = value.str();
    } else if (key == "credentials" || key == "preserve" || key == "fix_binary") {
      auto yes = parseYesNo(value, what, key);
      if (!yes)
        return yes.takeError();
      if (key == "credentials")
        entry.flags.credentials = entry.flags.openBinary = *yes;
      else if (key == "preserve")
        entry.flags.preserveArgv0 = *yes;
      else
        entry.flags.fixBinary = *yes;
    }
    // binfmt-support ignores keys it does not know; so do we.
  }
  if (entry.interpreter.empty())
    return makeError(what + ": no interpreter line");
  if (haveMagic == entry.byExtension)
    return makeError(what + ": needs exactly one of magic and extension");
  if (entry.byExtension && (entry.extension.empty() || StringRef(entry.extension).contains('/')))
    return makeError(what + ": invalid extension " + detail::quoted(entry.extension));
  if (!entry.byExtension)
    if (auto error = checkMagicFits(entry, what))
      return error;
  return entry;
}

} // namespace

std::string_view toString(BinfmtSource source) {
  switch (source) {
  case BinfmtSource::Kernel:
    return "kernel";
  case BinfmtSource::BinfmtD:
    return "binfmt.d";
  case BinfmtSource::BinfmtSupport:
    return "binfmt-support";
  }
  return "unknown";
}

std::string toString(const BinfmtFlags &flags) {
  std::string text;
  if (flags.preserveArgv0)
    text += 'P';
  if (flags.openBinary)
    text += 'O';
  if (flags.credentials)
    text += 'C';
  if (flags.fixBinary)
    text += 'F';
  return text;
}

Result<BinfmtEntry> parseBinfmtRegistration(std::string_view line) {
  return toResult(parseRegistration(StringRef(line.data(), line.size())));
}

Result<BinfmtEntry> parseBinfmtKernelEntry(std::string_view name, std::string_view text) {
  return toResult(
      parseKernelEntry(StringRef(name.data(), name.size()), StringRef(text.data(), text.size())));
}

Result<BinfmtEntry> parseBinfmtSupportFormat(std::string_view name, std::string_view text) {
  return toResult(
      parseSupportFormat(StringRef(name.data(), name.size()), StringRef(text.data(), text.size())));
}

} // namespace pkgnote
