// SPDX-License-Identifier: MIT
// Stamping a linked ELF file (ET_EXEC or ET_DYN, any class and byte order) or a PE image
// (UAPI.8's `.pkgnote` section; pe/pe_stamp.h, docs/pe.md) with the package note. ELF: the note goes into a .note.package SHT_NOTE/SHF_ALLOC section inside a PT_NOTE inside the
// first PT_LOAD, preferably in the file's first page (the one the kernel dumps into cores).
// docs/stamp.md describes the layouts. The rewrite is planned in memory (planStamp) as a list of
// byte patches over the original file, then applied to a copy (stampFile) or to bytes (stampImage).
#pragma once

#include "pkgnote/elf_reader.h"
#include "pkgnote/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote {

struct StampOptions {
  // Leave a file that already carries a package note untouched (StampAction::LeftAlone).
  bool ifUnstamped = false;
  // Files that are not stamped by nature (not ELF, ET_REL, cores, separate debug files) are
  // StampAction::Skipped instead of an error: what a recursive walk wants.
  bool skipUnstampable = false;
  // Write here instead of replacing the input (stampFile only).
  std::string outputPath;
  // Other names of the input's file (hard links, e.g. from collectStampInputs), in place only:
  // those that still name the same inode are replaced by the stamped file too, so that all the
  // names still share one file afterwards.
  std::vector<std::string> hardLinks;
  // PE: stamp a file with an Authenticode signature (a certificate table) by removing the
  // signature, which the new section would invalidate anyway; refused otherwise.
  bool allowUnsigning = false;
};

enum class StampAction {
  Stamped,   // written with the new note
  Unchanged, // the file already had exactly this note: nothing was written (in place)
  LeftAlone, // ifUnstamped and the file had a note
  Skipped,   // skipUnstampable and the file is not an executable or shared object
};

struct StampOutcome {
  StampAction action = StampAction::Stamped;
  bool replacedNote = false;         // a previous package note was replaced
  bool noteInFirstPage = false;      // the note and the program headers lie in the first 4 KiB
  bool buildIdLeftFirstPage = false; // the build-id lies beyond the first 4 KiB (as it did before)
  std::string layout;     // how the room was found (docs/stamp.md): "gap", "shift", "move", "tail",
                          // "segment" (a new PT_LOAD at the end), "in-place"; PE (docs/pe.md):
                          // "pe-new-section", "pe-in-place", "pe-last-section"
  std::string skipReason; // for Skipped
  bool pe = false;        // a PE image: its .pkgnote section (the first-page fields do not apply)
  std::vector<std::string> warnings; // e.g. the Authenticode signature was removed
  // In place, for a file with several hard links: how many of its other names (from hardLinks)
  // now name the stamped file too, and how many names it had beyond those, which pkgnote was not
  // given and which keep the old bytes (st_nlink counts them; nothing finds them).
  std::size_t linksReplaced = 0;
  std::size_t linksNotGiven = 0;
};

// One change to the original bytes: BYTES written at OFFSET (possibly past the original end).
struct StampPatch {
  std::uint64_t offset = 0;
  std::vector<std::uint8_t> bytes;
};

// The rewrite of one file: the original, with PATCHES applied in order, cut or zero-extended to
// NEWSIZE.
struct StampPlan {
  StampOutcome outcome;
  std::uint64_t newSize = 0;
  std::vector<StampPatch> patches;
};

// Reads SIZE bytes at OFFSET into OUT; false when they cannot be read.
using StampReader = std::function<bool(std::uint64_t offset, std::size_t size, std::uint8_t *out)>;

// Plans the stamping of a file of FILESIZE bytes read through READ with the note carrying
// PAYLOADJSON (encoded as `generate --format note` for the file's byte order). NAME is used in
// messages: "'NAME': problem". Pure: nothing is written.
Result<StampPlan> planStamp(const StampReader &read, std::uint64_t fileSize,
                            std::string_view payloadJson, const StampOptions &options,
                            const std::string &name);

// The plan applied to BYTES (tests, fuzzing): the stamped file's bytes.
std::string applyStampPlan(std::string_view bytes, const StampPlan &plan);

// Stamps PATH in place (temporary file in the same directory, renamed over PATH; owner, mode,
// extended attributes and ACLs kept; the other names in options.hardLinks relinked) or into
// options.outputPath (a new file: mode without setuid/setgid, nothing else kept). What is not a
// regular file is refused before it is opened for anything but a check. On any error PATH (and
// an existing output) is left as it was.
Result<StampOutcome> stampFile(const std::string &path, std::string_view payloadJson,
                               const StampOptions &options);

// One file for stampFile: the input as tree_walk.h lists it, and the other names of its file that
// the same walk met (options.hardLinks).
struct StampInput {
  ReadInput input;
  std::vector<std::string> hardLinks;
};

// walkInputs (tree_walk.h) for stamping: directories walked with RECURSIVE, each file once under
// the first name met, with its further names (hard links in the walked trees, or the file named
// again among ARGUMENTS) collected for it. The whole walk comes first, so that a file is stamped
// knowing all its names.
std::vector<StampInput> collectStampInputs(const std::vector<std::string> &arguments,
                                           bool recursive);
// "stamped", "unchanged", "left-alone", "skipped".
std::string_view stampActionName(StampAction action);

// The record of `pkgnote stamp --json` for the file at PATH: {"path":…,"action":"stamped",
// "layout":…}, {"path":…,"action":"unchanged"|"left-alone"}, or, when OUTCOME is an error,
// {"path":…,"action":"refused","error":…}.
std::string stampRecordToJson(const std::string &path, const Result<StampOutcome> &outcome);

} // namespace pkgnote
