// SPDX-License-Identifier: MIT
// Reading the package note, build-id and identity of an ELF file (any class and byte order).
// Only the ELF header, the program headers (or, for ET_REL and files without program headers,
// the section headers) and the note segments are read, with pread into small buffers.
#pragma once

#include "pkgnote/elf_report.h"
#include "pkgnote/result.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgnote {

struct ReadOptions {
  // Where the files named by a core's NT_FILE are looked up (`--root`).
  std::string root = "/";
  // Whether they are looked up at all. Off, a core is read from itself alone and no file but the
  // input is opened (readElfImage: tests and fuzzing stay hermetic and fast).
  bool lookUpModuleFiles = true;
  // Open and read the files a walk finds through io_uring, a batch per system call, when the
  // kernel allows it (otherwise, or when false: open, pread and close per file). The reports are
  // the same; tests read both ways.
  bool useIoUring = true;
  // Also read what each ELF file needs from the loader (DT_NEEDED, DT_RUNPATH/DT_RPATH, the
  // .note.dlopen notes) into FileReport::dependencies, and resolve it inside `root` (for an
  // image: inside its final filesystem). Off, nothing beyond the notes is read.
  bool dependencies = false;
  // Container images (`--ref`, `--platform`): only the images reached through an index entry
  // whose org.opencontainers.image.ref.name (or a docker RepoTag) is imageRef, and whose platform
  // is imagePlatform ("linux/arm64" also selects "linux/arm64/v8"); empty selects all.
  std::string imageRef;
  std::string imagePlatform;
  // Called on the reading thread once per image selected from a container image, before its
  // files' reports (with `layer` empty): an image without ELF files is still seen (the
  // CycloneDX writer names the image component from it). Optional.
  std::function<void(const ImageOrigin &)> imageStarted;
};

// The report for PATH. An error when PATH cannot be opened, is not ELF, or its headers or notes
// are corrupt (a corrupt package note is an error, a missing one is not).
Result<FileReport> readElfFile(const std::string &path, const ReadOptions &options = {});

// Like readElfFile, but a file that does not start with the ELF magic is std::nullopt rather
// than an error: what a recursive walk wants, which skips non-ELF files silently. PATH is taken
// to be a regular file, as the walk saw it: it is not fstat'ed first (a directory or a FIFO is
// still an error when the read fails), and a file that is not ELF costs open, pread and close.
Result<std::optional<FileReport>> readElfFileIfElf(const std::string &path,
                                                   const ReadOptions &options = {});

// The same reader over bytes in memory (tests and fuzzing); NAME is used in messages. A core's
// module files are never looked up (lookUpModuleFiles is off): nothing but BYTES is read.
Result<FileReport> readElfImage(std::string_view bytes, std::string name);

// One input to read: IfElf inputs (found by a walk) skip non-ELF files silently.
struct ReadInput {
  std::string path;
  bool skipIfNotElf = false;
  std::optional<Error> error; // already failed (e.g. in the walk): reported as is, not read
};

using ReadEmitter = std::function<void(std::size_t, const Result<std::optional<FileReport>> &)>;

// Reads INPUTS on up to JOBS threads and calls EMIT(index, result) on the calling thread in input
// order, as soon as each next result is ready. A skipped non-ELF input gives std::nullopt.
// JOBS 0 is the default: below 4 cores, the calling thread alone until a file turns out to be
// cold (not in the page cache), then two threads per core; from 4 cores, one per core.
void readElfFiles(const std::vector<ReadInput> &inputs, unsigned jobs, const ReadOptions &options,
                  const ReadEmitter &emit);

// Produces inputs by calling its argument once per input (walkInputs in tree_walk.h does).
using InputProducer = std::function<void(const std::function<void(ReadInput)> &)>;

// Like readElfFiles, for inputs not known in advance: PRODUCE runs on the calling thread, and with
// JOBS > 1, JOBS - 1 workers and this thread read each input as soon as it is produced (a tree is
// read while it is still being walked); EMIT is called on the calling thread, in the order of
// production.
void readElfInputs(const InputProducer &produce, unsigned jobs, const ReadOptions &options,
                   const ReadEmitter &emit);

} // namespace pkgnote
