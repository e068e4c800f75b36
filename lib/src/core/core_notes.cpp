// SPDX-License-Identifier: MIT
// Decoding NT_FILE, NT_AUXV and NT_PRPSINFO (see core_notes.h). The layouts are the kernel's
// (fs/binfmt_elf.c fill_files_note, fill_auxv_note, fill_psinfo), in words of the core's class.
#include "core/core_notes.h"

#include "read/elf_notes.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Support/Endian.h"

#include <cstring>

namespace pkgnote::detail {

std::optional<std::uint64_t> CoreNotes::auxvValue(std::uint64_t type) const {
  for (const auto &[key, value] : auxv)
    if (key == type)
      return value;
  return std::nullopt;
}

namespace {

// Words of the core's class and byte order.
template <class ELFT> std::uint64_t word(std::string_view bytes, std::size_t index) {
  using Word = typename ELFT::uint;
  Word value;
  std::memcpy(&value, bytes.data() + index * sizeof(Word), sizeof(Word));
  return llvm::support::endian::byte_swap<Word, ELFT::TargetEndianness>(value);
}

template <class ELFT>
llvm::Error decodeFileNote(std::string_view desc, const std::string &name, CoreNotes &notes) {
  constexpr std::size_t w = sizeof(typename ELFT::uint);
  if (desc.size() < 2 * w)
    return inputError(name, "NT_FILE: " + hexText(desc.size()) + " bytes is too short");
  std::uint64_t count = word<ELFT>(desc, 0), pageSize = word<ELFT>(desc, 1);
  std::uint64_t room = (desc.size() - 2 * w) / (3 * w);
  if (count > room)
    return inputError(name, "NT_FILE: count " + hexText(count) + " exceeds the note (room for " +
                                hexText(room) + ")");
  std::size_t stringsAt = static_cast<std::size_t>(2 * w + count * 3 * w);
  std::string_view strings = desc.substr(stringsAt);
  notes.files.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    MappedFile file;
    file.start = word<ELFT>(desc, static_cast<std::size_t>(2 + 3 * i));
    file.end = word<ELFT>(desc, static_cast<std::size_t>(3 + 3 * i));
    std::uint64_t page = word<ELFT>(desc, static_cast<std::size_t>(4 + 3 * i));
    if (file.end < file.start)
      return inputError(name, "NT_FILE entry " + std::to_string(i) + ": end " + hexText(file.end) +
                                  " before start " + hexText(file.start));
    if (pageSize != 0 && page > UINT64_MAX / pageSize)
      return inputError(name, "NT_FILE entry " + std::to_string(i) + ": file offset overflows");
    file.fileOffset = page * pageSize;
    auto nul = strings.find('\0');
    if (nul == std::string_view::npos)
      return inputError(name, "NT_FILE entry " + std::to_string(i) + ": path not terminated");
    file.path = std::string(strings.substr(0, nul));
    strings.remove_prefix(nul + 1);
    notes.files.push_back(std::move(file));
  }
  notes.haveFileNote = true;
  return llvm::Error::success();
}

template <class ELFT> void decodeAuxv(std::string_view desc, CoreNotes &notes) {
  constexpr std::size_t w = sizeof(typename ELFT::uint);
  for (std::size_t i = 0; (i + 2) * w <= desc.size(); i += 2) {
    std::uint64_t type = word<ELFT>(desc, i);
    if (type == 0 /* AT_NULL */)
      break;
    notes.auxv.emplace_back(type, word<ELFT>(desc, i + 1));
  }
}

// pr_fname[16] and pr_psargs[80] end the structure whatever the class and the width of uid_t.
void decodePrpsinfo(std::string_view desc, CoreNotes &notes) {
  if (desc.size() < 96)
    return;
  auto text = [](std::string_view field) { return std::string(field.substr(0, field.find('\0'))); };
  notes.commandName = text(desc.substr(desc.size() - 96, 16));
  notes.commandLine = text(desc.substr(desc.size() - 80, 80));
}

} // namespace

template <class ELFT>
llvm::Expected<CoreNotes> readCoreNotes(const ByteSource &core,
                                        const std::vector<typename ELFT::Phdr> &segments) {
  CoreNotes notes;
  static constexpr std::string_view owner{"CORE\0", 5};
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto &segment = segments[i];
    if (segment.p_type != llvm::ELF::PT_NOTE || segment.p_filesz == 0)
      continue;
    std::string where = "core note segment " + std::to_string(i);
    if (segment.p_filesz > kMaxCoreNoteSegment)
      return inputError(core.name(),
                        where + ": size " + hexText(segment.p_filesz) + " is too large");
    std::vector<std::uint8_t> buffer;
    if (llvm::Error error = core.read(segment.p_offset, segment.p_filesz, buffer, where))
      return error;
    llvm::Error error = forEachNote<ELFT>(
        buffer, segment.p_offset, 4, core.name(), where, [&](const RawNote &note) -> llvm::Error {
          if (note.name != owner)
            return llvm::Error::success();
          switch (note.type) {
          case llvm::ELF::NT_FILE:
            if (notes.haveFileNote)
              return llvm::Error::success(); // one per process; gdb repeats nothing, be safe
            return decodeFileNote<ELFT>(note.desc, core.name(), notes);
          case llvm::ELF::NT_AUXV:
            if (notes.auxv.empty())
              decodeAuxv<ELFT>(note.desc, notes);
            return llvm::Error::success();
          case llvm::ELF::NT_PRPSINFO:
            decodePrpsinfo(note.desc, notes);
            return llvm::Error::success();
          default:
            return llvm::Error::success();
          }
        });
    if (error)
      return error;
  }
  return notes;
}

template llvm::Expected<CoreNotes>
readCoreNotes<llvm::object::ELF32LE>(const ByteSource &,
                                     const std::vector<llvm::object::ELF32LE::Phdr> &);
template llvm::Expected<CoreNotes>
readCoreNotes<llvm::object::ELF32BE>(const ByteSource &,
                                     const std::vector<llvm::object::ELF32BE::Phdr> &);
template llvm::Expected<CoreNotes>
readCoreNotes<llvm::object::ELF64LE>(const ByteSource &,
                                     const std::vector<llvm::object::ELF64LE::Phdr> &);
template llvm::Expected<CoreNotes>
readCoreNotes<llvm::object::ELF64BE>(const ByteSource &,
                                     const std::vector<llvm::object::ELF64BE::Phdr> &);

} // namespace pkgnote::detail
