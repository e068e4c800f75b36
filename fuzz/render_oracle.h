// SPDX-License-Identifier: MIT
// Independent decoders for what the renderers write, so that the generator fuzz target can check
// the output against the input without trusting the code under test: a note decoder, a linker
// script reader that only understands LONG()/BYTE() data, and a strict POSIX-shell unquoter.
#pragma once

#include "pkgnote/note_encoding.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

inline std::uint32_t word(std::string_view bytes, std::size_t at, pkgnote::Endian endian) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    std::uint32_t byte = static_cast<unsigned char>(bytes[at + i]);
    value |= byte << (endian == pkgnote::Endian::Little ? 8 * i : 8 * (3 - i));
  }
  return value;
}

// The JSON of a well-formed package note (namesz 4, descsz strlen+1 or padded, zero padding),
// or nullopt for anything else.
inline std::optional<std::string> decodeNote(std::string_view note, pkgnote::Endian endian) {
  if (note.size() < 16 || note.size() % 4 != 0)
    return std::nullopt;
  std::uint32_t namesz = word(note, 0, endian), descsz = word(note, 4, endian);
  if (namesz != 4 || word(note, 8, endian) != pkgnote::kPackageNoteType ||
      note.substr(12, 4) != std::string_view("FDO\0", 4))
    return std::nullopt;
  if (descsz == 0 || (descsz + 3) / 4 * 4 != note.size() - 16)
    return std::nullopt;
  std::string_view desc = note.substr(16);
  std::size_t nul = desc.find('\0');
  if (nul == std::string_view::npos || nul + 1 > descsz)
    return std::nullopt;
  if (desc.find_first_not_of('\0', nul) != std::string_view::npos)
    return std::nullopt;
  return std::string(desc.substr(0, nul));
}

// LONG(n) and BYTE(n) data statements of a linker script, as the bytes ld would emit.
inline std::string scriptData(std::string_view script, pkgnote::Endian endian) {
  std::string bytes;
  for (std::size_t i = 0; i < script.size(); ++i) {
    bool isLong = script.substr(i, 5) == "LONG(", isByte = script.substr(i, 5) == "BYTE(";
    if (!isLong && !isByte)
      continue;
    std::string number(script.substr(i + 5, script.find(')', i) - (i + 5)));
    unsigned long long value = std::strtoull(number.c_str(), nullptr, 0);
    for (int b = 0; b < (isLong ? 4 : 1); ++b) {
      int shift = !isLong ? 0 : endian == pkgnote::Endian::Little ? 8 * b : 8 * (3 - b);
      bytes.push_back(static_cast<char>((value >> shift) & 0xff));
    }
  }
  return bytes;
}

// The script with its data statements and all whitespace removed: what the linker is told to do
// besides emitting the note's bytes. It must not depend on the metadata.
inline std::string scriptSkeleton(std::string_view script) {
  std::string skeleton;
  for (std::size_t i = 0; i < script.size(); ++i) {
    if (script.substr(i, 5) == "LONG(" || script.substr(i, 5) == "BYTE(") {
      i = script.find(')', i);
      if (i == std::string_view::npos)
        return skeleton + "<unterminated data statement>";
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(script[i])))
      skeleton.push_back(script[i]);
  }
  return skeleton;
}

// Splits TEXT into words as a POSIX shell would, accepting only quoting (no expansion, no
// operators): an unquoted $ ` ; & | < > ( ) or an open quote makes it nullopt.
inline std::optional<std::vector<std::string>> shellWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  bool inWord = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      std::size_t end = text.find('\'', i + 1);
      if (end == std::string_view::npos)
        return std::nullopt;
      current += text.substr(i + 1, end - i - 1);
      i = end;
      inWord = true;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= text.size())
          return std::nullopt;
        if (text[i] == '"')
          break;
        if (text[i] == '$' || text[i] == '`')
          return std::nullopt;
        if (text[i] == '\\' && i + 1 < text.size() &&
            std::string_view("$`\"\\\n").find(text[i + 1]) != std::string_view::npos)
          ++i;
        current += text[i];
      }
      inWord = true;
    } else if (c == '\\') {
      if (++i >= text.size())
        return std::nullopt;
      if (text[i] != '\n')
        current += text[i];
      inWord = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (inWord)
        words.push_back(current);
      current.clear();
      inWord = false;
    } else if (std::string_view("$`;&|<>()").find(c) != std::string_view::npos) {
      return std::nullopt;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (inWord)
    words.push_back(current);
  return words;
}

// The metadata an `ld-flag` rendering hands to the linker, after the shell and the compiler
// driver have taken it apart; nullopt when it would not reach ld as one --package-metadata.
inline std::optional<std::string> ldFlagMetadata(std::string_view flag) {
  auto words = shellWords(flag);
  if (!words)
    return std::nullopt;
  const std::string option = "--package-metadata=";
  std::optional<std::string> found;
  for (std::size_t i = 0; i < words->size(); ++i) {
    const std::string &w = (*words)[i];
    std::optional<std::string> value;
    if (w == "-Xlinker" && i + 1 < words->size() && (*words)[i + 1].rfind(option, 0) == 0)
      value = (*words)[++i].substr(option.size());
    else if (w.rfind("-Wl," + option, 0) == 0 && w.find(',', 4) == std::string::npos)
      value = w.substr(4 + option.size());
    else if (w.rfind(option, 0) == 0)
      value = w.substr(option.size());
    if (value && found)
      return std::nullopt;
    if (value)
      found = value;
  }
  return found;
}

// The argument a `specs` rendering passes to the linker: the line after the
// *pkgnote_package_metadata: header, read as gcc reads top-level spec text (\c is a literal c,
// %% a literal %, blanks split arguments). nullopt when it is not exactly one plain argument.
inline std::optional<std::string> specsArgument(std::string_view specs) {
  const std::string_view header = "*pkgnote_package_metadata:\n";
  std::size_t at = specs.find(header);
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view line = specs.substr(at + header.size());
  line = line.substr(0, line.find('\n'));
  std::string arg;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size())
      arg += line[++i];
    else if (c == '%' && i + 1 < line.size() && line[i + 1] == '%')
      arg += line[++i];
    else if (c == '%' || c == '\\' || c == ' ' || c == '\t' || c == '|')
      return std::nullopt;
    else
      arg += c;
  }
  return arg;
}

// SPECS with the argument line that specsArgument() reads cut out.
inline std::string specsWithoutArgument(std::string_view specs) {
  const std::string_view header = "*pkgnote_package_metadata:\n";
  std::size_t at = specs.find(header);
  if (at == std::string_view::npos)
    return std::string(specs);
  std::size_t begin = at + header.size(), end = specs.find('\n', begin);
  return std::string(specs.substr(0, begin)) +
         std::string(end == std::string_view::npos ? "" : specs.substr(end));
}

} // namespace fuzz
