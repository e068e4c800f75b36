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
// The same, with the input the outcome is about (the file as the walk named it, or the image or
// `-` for what an image or stdin gave): a failed input's record names it.
using NamedReportEmitter =
    std::function<void(const Result<std::optional<FileReport>> &, const std::string &input)>;

// Reads ARGUMENTS in order and calls EMIT on the calling thread for each outcome, in argument
// order: once per file (ordinary files and trees, read on up to JOBS threads as readElfInputs
// does), and once per ELF file of an image's final filesystem and per error of an image (an OCI
// layout directory, an OCI or docker archive, plain or compressed), or of stdin (`-`: any of
// these kinds read in one forward pass, nothing written).
//
// With -r (WALK.recursive), an OCI image layout met in a tree is read as the image it is, after
// the tree's files; a walk-found file named *.rpm or *.deb that is one (by content), and an
// argument that is one, is an error that points at `pkgnote verify`.
void readArguments(const std::vector<std::string> &arguments, const WalkOptions &walk,
                   unsigned jobs, const ReadOptions &options, const NamedReportEmitter &emit);
void readArguments(const std::vector<std::string> &arguments, const WalkOptions &walk,
                   unsigned jobs, const ReadOptions &options, const ReportEmitter &emit);

// The record of an input that could not be read, for `read --json`: {"path":INPUT,"error":MESSAGE}.
std::string inputErrorToJson(const std::string &input, const std::string &message);

} // namespace pkgnote
