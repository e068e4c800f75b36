// SPDX-License-Identifier: MIT
// What the core reader's files share (internal): the context of one core being read, and the
// steps that turn an address or a file into a ModuleReport. core_reader.cpp reads kernel and gdb
// cores (NT_FILE); core_guest.cpp reads qemu-user guest cores (NT_AUXV, link_map, segment scan).
#pragma once

#include "core/core_image.h"
#include "core/core_memory.h"
#include "core/core_notes.h"
#include "pkgnote/elf_reader.h"
#include "pkgnote/elf_report.h"
#include "pkgnote/limits.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pkgnote::detail {

// Bounds that keep a hostile core's cost small whatever its counts say.
inline constexpr std::size_t kMaxModules = kMaxCoreModules; // limits.h
inline constexpr std::size_t kMaxScannedSegments = 4096;
inline constexpr std::size_t kMaxPathLength = 4096;

struct CoreContext {
  const ByteSource &source;
  const CoreMemory &memory;
  const CoreNotes &notes;
  const ReadOptions &options;
  std::uint16_t machine;
  FileReport &report;
  // Where the core has an executable PT_LOAD, dumped or not: a mapping of code, so its file is a
  // module even when neither its header nor its file can be read.
  std::vector<std::uint64_t> codeStarts = {};
  // The address ranges of the images listed so far: one module per image, however many of its
  // mappings begin with its ELF header.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> claimed = {};

  bool claimedAt(std::uint64_t address) const;
  void claim(const ImageFacts &facts);
};

// PATH as seen by the crashed process, under ROOT (relative paths stay relative).
std::string underRoot(const std::string &root, const std::string &path);

// The facts of the module file PATH names under --root; an error when it cannot be read, or when
// module files are not to be looked up (ReadOptions::lookUpModuleFiles).
llvm::Expected<std::optional<ImageFacts>> inspectModuleFile(const CoreContext &core,
                                                            const std::string &path);

// For reads whose failure only means "not there" (a page the core lacks).
bool readsCleanly(llvm::Error error);

// An image's facts -> the report's view of a module (architecture, build-id, packages).
void fillFromFacts(ModuleReport &module, const ImageFacts &facts);

// Reads MODULE's note from its file under --root, if the file is the one that was mapped:
// checked against IN_MEMORY (the core's copy of its headers), ENTRY and PHNUM (the auxiliary
// vector) and its read-only pages at BIAS; REQUIRE_CONTENT refuses a file none of whose pages
// could be compared. A refused file leaves a warning.
void useFileIfMatching(CoreContext &core, ModuleReport &module,
                       const std::optional<ImageFacts> &inMemory,
                       std::optional<std::uint64_t> entry, std::uint64_t bias,
                       std::optional<std::uint16_t> phnum, bool requireContent = false);

// Adds the module whose ELF header is at ADDRESS, named PATH (when empty: by its DT_SONAME, or
// "[ELF image at ADDRESS]"). FILE_BACKED: PATH names a file that may stand in for missing pages;
// BIAS: its load bias when known (link_map's l_addr); VIEW: the memory to read it from, when not
// the core's (CoreMemory::withAlias); LOADED: it was loaded (link_map, code mapping), so it is
// listed even when neither its header nor its file can be read.
void addModuleAt(CoreContext &core, const std::string &path, std::uint64_t address, bool fileBacked,
                 std::optional<std::uint64_t> bias = std::nullopt, const CoreMemory *view = nullptr,
                 bool loaded = false);

// The vDSO, from AT_SYSINFO_EHDR, unless an image there is listed already.
void addVdso(CoreContext &core);

// The modules of a core without NT_FILE (qemu-user guest cores), and the executable first.
template <class ELFT> void modulesWithoutFileNote(CoreContext &core);

} // namespace pkgnote::detail
