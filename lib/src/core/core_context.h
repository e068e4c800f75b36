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

// Adds the module whose ELF header is at ADDRESS (named PATH). FILE_BACKED: PATH names a file
// that may stand in for missing pages; BIAS: its load bias when known (link_map's l_addr).
void addModuleAt(CoreContext &core, const std::string &path, std::uint64_t address, bool fileBacked,
                 std::optional<std::uint64_t> bias = std::nullopt);

// The modules of a core without NT_FILE (qemu-user guest cores), and the executable first.
template <class ELFT> void modulesWithoutFileNote(CoreContext &core);

} // namespace pkgnote::detail
