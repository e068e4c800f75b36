// SPDX-License-Identifier: MIT
// Reading an ELF file or core that arrives as a forward-only stream (a compressed file, a package
// member) in bounded passes, with nothing written anywhere. The reader runs over what was
// captured so far (io/captured_source.h); each run says what it still wants; the stream is
// advanced to capture it, and the reader runs again as soon as the first range wanted has gone
// by, so that a range found from it (a module's header, then its notes; a link_map entry, then
// the next) is still ahead of the stream and captured in the same pass. Only bytes wanted behind
// the stream take another pass, from the start, when the stream can be opened again; when it
// cannot, the reader runs on without them (reads of them fail as such), and if it cannot do
// without them its error is that they went by. The pass stops as soon as a run wants nothing: the zeros after a core's last segment are never
// decompressed.
#pragma once

#include "io/forward_stream.h"
#include "pkgnote/elf_report.h"

#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <optional>

namespace pkgnote::detail {

class ByteSource;

// Opens the stream again from its start, for another pass; empty when it cannot be (a package
// member: then bytes wanted behind the stream are an error).
using StreamOpener = std::function<llvm::Expected<std::unique_ptr<ForwardStream>>()>;
// The reader: a report, std::nullopt when the input is not ELF, or an error.
using SourceReader =
    std::function<llvm::Expected<std::optional<FileReport>>(const ByteSource &source)>;

// What a read cost (tests and benchmarks check the bounds).
struct StreamReadStats {
  unsigned passes = 0;        // times the stream was read from its start
  unsigned runs = 0;          // runs of the reader
  std::uint64_t captured = 0; // bytes kept
  std::uint64_t streamed = 0; // bytes decompressed (read or skipped), all passes together
};

// The ELF reader of `pkgnote read` over SOURCE as it is, without decompressing it (a package
// member's data is what the package holds): a SourceReader for readStreamed. A PE image is read
// too (pe/pe_reader.h).
llvm::Expected<std::optional<FileReport>> readElfSource(const ByteSource &source);

// The result of READ over the whole of STREAM, whose first pass is STREAM itself; messages name
// STREAM's name(). STATS, when given, is filled in.
llvm::Expected<std::optional<FileReport>> readStreamed(std::unique_ptr<ForwardStream> stream,
                                                       const StreamOpener &reopen,
                                                       const SourceReader &read,
                                                       StreamReadStats *stats = nullptr);

} // namespace pkgnote::detail
