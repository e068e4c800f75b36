// SPDX-License-Identifier: MIT
// What a `pkgnote read` argument is, told by content (never by name): the one place above read/,
// core/ and image/ that decides which of them reads an input.
#pragma once

#include "pkgnote/elf_reader.h"

#include <string>
#include <string_view>

namespace pkgnote::detail {

enum class InputKind {
  Ordinary,     // an ELF file, core, PE image, compressed file or directory: the ELF and PE
                // readers and the tree walk
  ImageLayout,  // an OCI image layout directory
  ImageArchive, // a tar (plain or compressed): an OCI or docker archive
};

// The kind of the argument PATH ("-" is not asked about: stdin is read by readStdin). Whatever
// cannot be opened or read is Ordinary: its reader then says why.
InputKind inputKindOf(const std::string &path);

// Reads stdin once, forward: its first bytes tell ELF, compressed data and tar apart.
using StdinSink = std::function<void(Result<std::optional<FileReport>>)>;
void readStdin(const ReadOptions &options, const StdinSink &sink);

} // namespace pkgnote::detail
