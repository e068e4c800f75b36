// SPDX-License-Identifier: MIT
// Fuzzes the container-image path: the bytes are an image archive (OCI or docker, plain or
// compressed) read in one pass as from stdin: the outer tar, every layer's tar and compression,
// the JSON documents, digests, whiteouts and the overlay. Seeds are small archives written by
// skopeo (fuzz/seeds/fuzz_image). Beyond never crashing, hanging or allocating without bound:
// every error names the image, and every report is a file of the image by an absolute path,
// with the layer it came from.
#include "fuzz_check.h"

#include "image/image_reader.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

using namespace pkgnote;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  bool given = false;
  detail::ChunkSource source = [&]() -> llvm::Expected<llvm::ArrayRef<std::uint8_t>> {
    if (std::exchange(given, true))
      return llvm::ArrayRef<std::uint8_t>();
    return llvm::ArrayRef<std::uint8_t>(data, size);
  };
  ReadOptions options;
  options.lookUpModuleFiles = false;
  detail::readImageArchive("fuzz-input", source, options,
                           [](Result<std::optional<FileReport>> outcome) {
                             if (!outcome) {
                               FUZZ_CHECK(outcome.error().message.rfind("'fuzz-input': ", 0) == 0);
                               return;
                             }
                             FUZZ_CHECK(outcome->has_value());
                             const FileReport &report = **outcome;
                             FUZZ_CHECK(!report.path.empty() && report.path[0] == '/');
                             FUZZ_CHECK(report.path.find("/../") == std::string::npos);
                             FUZZ_CHECK(report.image && report.image->image == "fuzz-input");
                             FUZZ_CHECK(report.image->layer.rfind("sha256:", 0) == 0);
                           });
  return 0;
}
