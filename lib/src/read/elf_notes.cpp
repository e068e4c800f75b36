// SPDX-License-Identifier: MIT
// The non-template half of the note walker: which notes pkgnote keeps, and how.
#include "read/elf_notes.h"

#include "pkgnote/limits.h"
#include "pkgnote/note_encoding.h"
#include "pkgnote/payload_json.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace pkgnote::detail {

unsigned noteAlignment(std::uint64_t align) {
  // The gABI says 4 for ELF32 and 8 for ELF64, but every toolchain writes 4-aligned notes and
  // marks them with alignment 0, 1 or 4; only .note.gnu.property really uses 8. Any other value
  // (elfutils' testfile2, a PowerPC executable, says 16) is read as 4, as elfutils reads it
  // (libelf takes ELF_T_NHDR8 for alignment 8 alone).
  return align == 8 ? 8u : 4u;
}

static std::string toHex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    text.push_back(digits[byte >> 4]);
    text.push_back(digits[byte & 15]);
  }
  return text;
}

llvm::Error collectNote(const RawNote &note, NoteScan &scan, const std::string &name) {
  // Owners are compared as raw n_namesz bytes, NUL included: "FDO\0" and "GNU\0", nothing longer.
  static constexpr std::string_view fdo{"FDO\0", 4}, gnu{"GNU\0", 4};
  ++scan.notesSeen;
  if (note.name == gnu && note.type == llvm::ELF::NT_GNU_BUILD_ID) {
    if (scan.buildId.empty())
      scan.buildId = toHex(note.desc);
    return llvm::Error::success();
  }
  if (note.name == fdo && note.type == kDlopenNoteType) {
    scan.dlopenNotes.emplace_back(note.desc);
    return llvm::Error::success();
  }
  if (note.name != fdo || note.type != kPackageNoteType)
    return llvm::Error::success();
  if (scan.packages.size() == kMaxPackageNotes)
    return inputError(name, "package note at " + hexText(note.offset) + ": more than " +
                                std::to_string(kMaxPackageNotes) + " package notes");
  // descsz may or may not count the padding (lld vs GNU ld 2.40): drop every trailing NUL.
  std::string_view payload = note.desc;
  while (!payload.empty() && payload.back() == '\0')
    payload.remove_suffix(1);
  // A NUL inside the payload would end it for C readers: refuse it rather than guess.
  if (std::size_t nul = payload.find('\0'); nul != std::string_view::npos)
    return inputError(name, "package note at " + hexText(note.offset) +
                                ": payload: NUL byte at byte " + std::to_string(nul));
  Result<PackageMetadata> metadata = parsePayloadJson(payload);
  if (!metadata)
    return inputError(name,
                      "package note at " + hexText(note.offset) + ": " + metadata.error().message);
  // Linkers concatenate the notes of every input: glibc's ld.so carries three identical copies
  // on some distributions. An identical copy is the same package, counted once.
  for (const PackageNote &seen : scan.packages)
    if (seen.metadata.fields == metadata->fields)
      return llvm::Error::success();
  scan.packages.push_back(PackageNote{std::move(*metadata), note.offset});
  return llvm::Error::success();
}

bool problemsCapped(NoteScan &scan, const char *region, std::size_t index) {
  if (scan.problems.size() < kMaxNoteProblems)
    return false;
  scan.problems.push_back(std::string(region) + " " + std::to_string(index) +
                          " and later not read: " + std::to_string(kMaxNoteProblems) +
                          " bad ones already");
  return true;
}

llvm::Expected<NoteScan> checkedScan(NoteScan scan, const std::string &name) {
  if (!scan.problems.empty() && scan.packages.empty())
    return inputError(name, scan.problems.front());
  return scan;
}

} // namespace pkgnote::detail
