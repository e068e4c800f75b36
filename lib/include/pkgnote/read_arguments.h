// SPDX-License-Identifier: MIT
// `pkgnote read`'s arguments, whatever each one is: what an input is (ELF file, core, compressed
// file, directory, container image layout or archive, `-` for stdin) is decided here, by content,
// and each is handed to its reader. The tool calls this one function.
#pragma once

#include "pkgnote/elf_reader.h"
#include "pkgnote/tree_walk.h"

#include <functional>
#include <string>
#include <vector>

namespace pkgnote {

// One outcome: a report, std::nullopt for a walk-found file that is not ELF, or an error.
using ReportEmitter = std::function<void(const Result<std::optional<FileReport>> &)>;

// Reads ARGUMENTS in order and calls EMIT on the calling thread for each outcome, in argument
// order: once per file (ordinary files and trees, read on up to JOBS threads as readElfInputs
// does), and once per ELF file of an image's final filesystem and per error of an image (an OCI
// layout directory, an OCI or docker archive, plain or compressed), or of stdin (`-`: any of
// these kinds read in one forward pass, nothing written).
void readArguments(const std::vector<std::string> &arguments, const WalkOptions &walk,
                   unsigned jobs, const ReadOptions &options, const ReportEmitter &emit);

} // namespace pkgnote
