// SPDX-License-Identifier: MIT
// Dynamic string tokens as glibc's _dl_dst_substitute expands them, and the system directories
// as glibc's configure sets them for Debian's multiarch layout (`ld.so --help` lists them) and
// for lib64 distributions.
#include "resolve/search_path.h"

#include "llvm/BinaryFormat/ELF.h"

#include <cctype>

namespace pkgnote::detail {
namespace {

// The length of token NAME at TEXT ("$NAME" or "${NAME}", a name not followed by another name
// character), 0 if TEXT does not start with it.
std::size_t tokenLength(std::string_view text, std::string_view name) {
  if (text.substr(0, 2) == "${") {
    if (text.substr(2, name.size()) == name && text.substr(2 + name.size(), 1) == "}")
      return name.size() + 3;
    return 0;
  }
  if (text.substr(1, name.size()) != name)
    return 0;
  std::size_t end = 1 + name.size();
  if (end < text.size() &&
      (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    return 0;
  return end;
}

} // namespace

std::optional<std::string> expandSearchEntry(std::string_view entry, const TokenValues &values) {
  std::string out;
  for (std::size_t at = 0; at < entry.size();) {
    if (entry[at] != '$') {
      out += entry[at++];
      continue;
    }
    std::string_view rest = entry.substr(at);
    std::size_t length;
    if ((length = tokenLength(rest, "ORIGIN")) != 0)
      out += values.origin;
    else if ((length = tokenLength(rest, "LIB")) != 0)
      out += values.lib;
    else if ((length = tokenLength(rest, "PLATFORM")) != 0)
      out += values.platform;
    else {
      out += entry[at++];
      continue;
    }
    at += length;
  }
  if (out.empty() || out[0] != '/')
    return std::nullopt;
  while (out.size() > 1 && out.back() == '/')
    out.pop_back();
  return out;
}

std::vector<std::string> expandSearchPath(std::string_view path, const TokenValues &values) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= path.size()) {
    std::size_t colon = path.find(':', at);
    if (colon == std::string_view::npos)
      colon = path.size();
    if (std::optional<std::string> entry = expandSearchEntry(path.substr(at, colon - at), values))
      out.push_back(std::move(*entry));
    at = colon + 1;
  }
  return out;
}

std::string multiarchTuple(const ElfIdentity &identity) {
  using namespace llvm::ELF;
  bool is64 = identity.elfClass == ELFCLASS64, little = identity.elfData == ELFDATA2LSB;
  switch (identity.machine) {
  case EM_X86_64:
    return is64 ? "x86_64-linux-gnu" : "x86_64-linux-gnux32";
  case EM_386:
    return "i386-linux-gnu";
  case EM_AARCH64:
    return "aarch64-linux-gnu";
  case EM_ARM:
    return "arm-linux-gnueabihf";
  case EM_S390:
    return is64 ? "s390x-linux-gnu" : "";
  case EM_PPC64:
    return little ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu";
  case EM_PPC:
    return "powerpc-linux-gnu";
  case EM_RISCV:
    return is64 ? "riscv64-linux-gnu" : "";
  case EM_MIPS:
    return is64 ? (little ? "mips64el-linux-gnuabi64" : "mips64-linux-gnuabi64")
                : (little ? "mipsel-linux-gnu" : "mips-linux-gnu");
  case 258: // EM_LOONGARCH
    return is64 ? "loongarch64-linux-gnu" : "";
  default:
    return "";
  }
}

std::string platformOf(const ElfIdentity &identity) {
  using namespace llvm::ELF;
  switch (identity.machine) {
  case EM_X86_64:
    return "x86_64";
  case EM_386:
    return "i686";
  case EM_AARCH64:
    return "aarch64";
  case EM_ARM:
    return "v7l";
  case EM_S390:
    return "z900";
  case EM_PPC64:
    return identity.elfData == ELFDATA2LSB ? "power8" : "power7";
  case EM_RISCV:
    return "riscv64";
  default:
    return "";
  }
}

std::vector<std::string> defaultDirectories(const ElfIdentity &identity) {
  std::vector<std::string> out;
  std::string tuple = multiarchTuple(identity);
  if (!tuple.empty()) {
    out.push_back("/lib/" + tuple);
    out.push_back("/usr/lib/" + tuple);
  }
  if (identity.elfClass == llvm::ELF::ELFCLASS64) {
    out.push_back("/lib64");
    out.push_back("/usr/lib64");
  }
  out.push_back("/lib");
  out.push_back("/usr/lib");
  return out;
}

} // namespace pkgnote::detail
