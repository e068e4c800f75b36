// SPDX-License-Identifier: MIT
// One streaming pass over one layer blob (a tar, plain, gzip or zstd): its sha256 as the
// compressed bytes go by, and what the layer says about the filesystem: each entry's path
// (resolved inside the image root), its kind (whiteouts recognised), and for each regular file
// that starts with the ELF magic, the ELF reader's report. Nothing is written; a layer's result is
// small (paths and reports), so layers are scanned independently (in parallel for a layout
// directory) and stacked afterwards (overlay.h).
#pragma once

#include "image/layer_entries.h"
#include "io/forward_stream.h"
#include "pkgnote/elf_report.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pkgnote::detail {

struct LayerScan {
  std::string digest;   // "sha256:..." of the blob's bytes as stored
  LayerEntries entries; // in the tar's order
};

// PATH as a tar entry names it, resolved inside the root: "./a//b/../c" and "/../c" are "c"
// and "a/c"... never above the root; "" for the root.
std::string resolveEntryPath(std::string_view path);

// Scans the layer whose bytes SOURCE gives (compressed or not, recognised by content). NAME names
// it in messages ("'IMAGE': blob sha256:...: ..."). An error when the blob is not a tar, is
// corrupt or truncated; a corrupt ELF file is the entry's error, not the layer's.
// DEPENDENCIES (`read --deps`): each ELF file's report has its Dependencies (not yet resolved),
// and the loader's configuration files keep their bytes.
llvm::Expected<LayerScan> scanLayer(const std::string &name, ChunkSource source,
                                    bool dependencies = false);

// SOURCE, hashing every chunk it hands out into the sha256 that DIGEST reads ("sha256:hex")
// once SOURCE ended.
class Sha256Chunks {
public:
  explicit Sha256Chunks(ChunkSource source);
  ~Sha256Chunks();
  // The chunks, hashed.
  ChunkSource chunks();
  // Reads the rest of the source (a tar's padding after its end blocks is part of the blob).
  llvm::Error drain();
  std::string digest();
  std::uint64_t size() const;
  // Whether the source has handed out its last chunk.
  bool ended() const;

private:
  struct State;
  std::shared_ptr<State> state_;
};

} // namespace pkgnote::detail
