// SPDX-License-Identifier: MIT
// Reading a batch of inputs, the unit of work of readElfInputs (read_parallel.cpp): the files a
// walk found are opened together through a FileBatchOpener (file_batch.h), the others one by one.
#pragma once

#include "io/file_batch.h"
#include "pkgnote/elf_reader.h"

#include <vector>

namespace pkgnote::detail {

using ReadOutcome = Result<std::optional<FileReport>>;

// One outcome per input, in order, appended to OUT: an input that already failed gives its error,
// a walk-found file that is not ELF std::nullopt, an argument that is not ELF an error.
void readInputBatch(const std::vector<ReadInput> &inputs, FileBatchOpener &opener,
                    const ReadOptions &options, std::vector<ReadOutcome> &out);

} // namespace pkgnote::detail
