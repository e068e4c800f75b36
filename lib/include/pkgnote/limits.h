// What one untrusted input may make pkgnote do, at most. Every input is read, never written or
// executed; these bounds keep a hostile file from making the reader hang or allocate without
// bound (README, section "Security"). Exceeding a limit is an error naming the input, unless
// said otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pkgnote {

// Bytes read from one input file, headers and note segments together (for a core: its notes and
// the pages of every module it describes). A file that asks for more, e.g. a thousand PT_NOTE
// headers pointing at the same 64 KiB, is refused instead of being read over and over (fuzzing
// found 512 MiB too generous: such a 350 KiB file took seconds). Real files need kilobytes, a
// core of a few hundred threads and modules a few megabytes.
inline constexpr std::uint64_t kReadBudgetBytes = std::uint64_t{64} << 20;

// Package notes kept per image; a real file has one. Each payload is at most kMaxPayloadBytes
// (metadata.h) and each note region at most 256 MiB (the reader's kMaxNoteRegion). The notes
// after them are not read, with a warning (an error when none was a package note).
inline constexpr std::size_t kMaxPackageNotes = 64;

// Bad note segments (or sections) reported per image; the rest are not read, with a warning. A
// bad one does not hide the others, but a hostile e_phnum must not make 65,535 warnings.
inline constexpr std::size_t kMaxNoteProblems = 8;

// Modules (distinct files an NT_FILE maps from offset 0) read per core; the rest are skipped with
// a warning. A large desktop process maps a few hundred.
inline constexpr std::size_t kMaxCoreModules = 4096;

// Passes over a compressed input (each decompresses it again from its start, up to the last byte
// wanted). A pass is needed when the reader wants bytes the stream has already gone past: a qemu
// guest core's link_map chain can point backwards. Bytes kept from the passes together are
// bounded by kReadBudgetBytes; runs of the reader over what is kept by kMaxStreamRuns.
inline constexpr unsigned kMaxStreamPasses = 8;
inline constexpr unsigned kMaxStreamRuns = 2 * kMaxCoreModules + 64;

} // namespace pkgnote
