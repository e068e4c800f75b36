// SPDX-License-Identifier: MIT
// readCoreModules (core_reader.h): builds the core's memory view, decodes its process notes, and
// turns each mapped ELF image into a ModuleReport. The reading of one image is core_image.cpp's;
// this file decides which images there are, and when a module's file may stand in for pages the
// core lacks: only when it is shown to be the file that was mapped (same machine, type, entry
// point and program headers, same build-id when the core has one).
#include "core/core_reader.h"

#include "core/core_context.h"
#include "core/core_image.h"
#include "core/core_memory.h"
#include "core/core_notes.h"
#include "pkgnote/limits.h"
#include "read/elf_notes.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFTypes.h"
#include "llvm/Support/Endian.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace pkgnote::detail {
namespace {

// Why FILE is not the image described by MEMORY (or the auxiliary vector), or "" if it is.
std::string mismatch(const ImageFacts &file, const std::optional<ImageFacts> &memory,
                     std::uint16_t machine, std::optional<std::uint64_t> entry, std::uint64_t bias,
                     std::optional<std::uint16_t> phnum) {
  if (file.machine != machine)
    return "machine differs";
  if (memory) {
    if (file.type != memory->type || file.entry != memory->entry || file.phdrs != memory->phdrs)
      return "ELF header or program headers differ";
    if (!memory->buildId.empty() && memory->buildId != file.buildId)
      return "build-id differs";
  }
  if (entry && file.entry + bias != *entry)
    return "entry point differs";
  if (phnum && file.phnum != *phnum)
    return "program header count differs";
  return "";
}

// Compares FILE's stable ranges (core_image.h) with the core's memory at BIAS, page by page
// where the core has the page, word by word: a word may differ by the load bias (a relative
// relocation) and a few may differ entirely (GOT slots); more than that is another file.
// Returns "" when they agree or nothing could be compared.
std::string contentMismatch(const CoreMemory &memory, const std::string &path,
                            const ImageFacts &file, std::uint64_t bias, std::uint64_t &compared) {
  constexpr std::uint64_t kPage = 4096, kMaxCompared = 4u << 20;
  auto source = FileByteSource::open(path);
  if (!source) {
    llvm::consumeError(source.takeError());
    return "";
  }
  std::size_t word = file.is64 ? 8 : 4;
  std::uint64_t differing = 0;
  compared = 0;
  std::vector<std::uint8_t> fromFile, fromCore;
  for (const StableRange &range : file.stableRanges) {
    for (std::uint64_t at = 0; at < range.size && compared < kMaxCompared; at += kPage) {
      std::uint64_t size = std::min(kPage, range.size - at);
      size -= size % word;
      if (size == 0 || !memory.isBacked(bias + range.vaddr + at, size))
        continue;
      if (!readsCleanly((*source)->read(range.offset + at, size, fromFile, "stable range")) ||
          !readsCleanly(memory.read(bias + range.vaddr + at, size, fromCore, "stable range")))
        continue;
      for (std::size_t i = 0; i < size; i += word) {
        std::uint64_t a = 0, b = 0;
        std::memcpy(&a, fromFile.data() + i, word);
        std::memcpy(&b, fromCore.data() + i, word);
        ++compared;
        if (a != b && (file.bigEndian || b - a != bias))
          ++differing;
      }
    }
  }
  if (compared >= 16 && differing * 16 > compared)
    return std::to_string(differing) + " of " + std::to_string(compared) +
           " read-only words differ from the core";
  return "";
}

// NT_FILE names every mapping; a file with a mapping at file offset 0 may be a module. Its ELF
// header is read at the first such mapping (the lowest: NT_FILE is in address order), or, when
// that page was not dumped (64 KiB pages, older kernels), at another mapping of the same file at
// file offset 0 (a small file's data segment shares the header's page), read as if at the first.
void modulesFromFileNote(CoreContext &core) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const MappedFile *>> headerMappings;
  std::set<std::string> code;
  auto entry = core.notes.auxvValue(kAtEntry);
  for (const MappedFile &file : core.notes.files) {
    if (std::binary_search(core.codeStarts.begin(), core.codeStarts.end(), file.start) ||
        (entry && *entry >= file.start && *entry < file.end))
      code.insert(file.path);
    if (file.fileOffset != 0)
      continue;
    std::vector<const MappedFile *> &mappings = headerMappings[file.path];
    if (mappings.empty())
      order.push_back(file.path);
    mappings.push_back(&file);
  }
  for (const std::string &path : order) {
    if (core.report.modules.size() >= kMaxModules) {
      core.report.warnings.push_back("more than " + std::to_string(kMaxModules) +
                                     " modules, the rest are not read");
      return;
    }
    const std::vector<const MappedFile *> &mappings = headerMappings[path];
    const MappedFile &first = *mappings.front();
    bool loaded = code.count(path) != 0;
    const MappedFile *other = nullptr;
    if (!core.memory.isBacked(first.start, llvm::ELF::EI_NIDENT))
      for (const MappedFile *mapping : mappings)
        if (core.memory.isBacked(mapping->start, llvm::ELF::EI_NIDENT)) {
          other = mapping;
          break;
        }
    if (!other) {
      addModuleAt(core, path, first.start, /*fileBacked=*/true, std::nullopt, nullptr, loaded);
      continue;
    }
    CoreMemory view = core.memory.withAlias(
        first.start, other->start, std::min(other->end - other->start, first.end - first.start));
    addModuleAt(core, path, first.start, /*fileBacked=*/true, std::nullopt, &view, loaded);
  }
}

} // namespace

std::string underRoot(const std::string &root, const std::string &path) {
  std::string base = root;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  if (base.empty() || path.empty() || path.front() != '/')
    return base.empty() ? path : base + "/" + path;
  return base + path;
}

llvm::Expected<std::optional<ImageFacts>> inspectModuleFile(const CoreContext &core,
                                                            const std::string &path) {
  std::string file = underRoot(core.options.root, path);
  if (!core.options.lookUpModuleFiles)
    return inputError(file, "module files are not looked up");
  return inspectImageFile(file);
}

// For reads whose failure only means "not there" (a page the core lacks).
bool readsCleanly(llvm::Error error) {
  if (!error)
    return true;
  llvm::consumeError(std::move(error));
  return false;
}

// Core facts -> the report's view of a module.
void fillFromFacts(ModuleReport &module, const ImageFacts &facts) {
  module.elfArchitecture = elfArchitectureName(facts.machine);
  module.buildId = facts.buildId;
  module.package.reset();
  module.extraPackages.clear();
  for (std::size_t i = 0; i < facts.packages.size(); ++i) {
    if (i == 0)
      module.package = facts.packages[i].metadata;
    else
      module.extraPackages.push_back(facts.packages[i].metadata);
  }
}

// Reads MODULE's note from its file under --root when the core lacks it, if the file matches.
void useFileIfMatching(CoreContext &core, ModuleReport &module,
                       const std::optional<ImageFacts> &inMemory,
                       std::optional<std::uint64_t> entry, std::uint64_t bias,
                       std::optional<std::uint16_t> phnum, bool requireContent) {
  std::string path = underRoot(core.options.root, module.path);
  auto file = inspectModuleFile(core, module.path);
  if (!file) {
    core.report.warnings.push_back(
        "module '" + module.path +
        "': note not in the core and file unreadable: " + llvm::toString(file.takeError()));
    return;
  }
  if (!*file)
    return;
  std::string why =
      mismatch(**file, inMemory, inMemory ? inMemory->machine : core.machine, entry, bias, phnum);
  std::uint64_t compared = 0;
  if (why.empty())
    why = contentMismatch(core.memory, path, **file, inMemory ? inMemory->bias : bias, compared);
  if (why.empty() && requireContent && compared < 16)
    why = "no read-only page of it in the core to compare";
  if (!why.empty()) {
    core.report.warnings.push_back("module '" + module.path + "': '" + path +
                                   "' is not the mapped file (" + why + "), its note is ignored");
    return;
  }
  fillFromFacts(module, **file);
  module.source = ModuleReport::Source::File;
}

// When the page mapped at ADDRESS (file offset 0: the ELF header, then the first segment's
// notes, build-id among them) is the file's, byte for byte (so e_phoff and e_phnum name a table
// the core merely lacks, not values gone wrong), the file's note is the module's: its bias from
// the header, then useFileIfMatching, which compares whatever else of it the core holds.
static void useFileAtHeader(CoreContext &core, const CoreMemory &memory, ModuleReport &module,
                            std::uint64_t address) {
  constexpr std::uint64_t kPage = 4096;
  auto file = inspectModuleFile(core, module.path);
  if (!file) {
    llvm::consumeError(file.takeError());
    return;
  }
  if (!*file || !(*file)->firstLoadVaddr)
    return;
  std::uint64_t size = std::min(kPage, (*file)->firstLoadFileSize);
  std::vector<std::uint8_t> inCore, inFile;
  auto source = FileByteSource::open(underRoot(core.options.root, module.path));
  if (!source) {
    llvm::consumeError(source.takeError());
    return;
  }
  if (size < sizeof(llvm::ELF::Elf32_Ehdr) || !memory.isBacked(address, size) ||
      !readsCleanly(memory.read(address, size, inCore, "first page")) ||
      !readsCleanly((*source)->read(0, size, inFile, "first page")) || inCore != inFile)
    return;
  useFileIfMatching(core, module, std::nullopt, std::nullopt, address - *(*file)->firstLoadVaddr,
                    std::nullopt, /*requireContent=*/false);
}

bool CoreContext::claimedAt(std::uint64_t address) const {
  for (const auto &[start, end] : claimed)
    if (address >= start && address < end)
      return true;
  return false;
}

void CoreContext::claim(const ImageFacts &facts) {
  if (facts.loadStart < facts.loadEnd)
    claimed.emplace_back(facts.loadStart, facts.loadEnd);
}

void addVdso(CoreContext &core) {
  // The kernel maps the vDSO without a file, so NT_FILE does not name it; it always dumps its
  // pages. elfutils names it by its DT_SONAME (linux-vdso.so.1, linux-gate.so.1, ...).
  auto at = core.notes.auxvValue(kAtSysinfoEhdr);
  if (!at || *at == 0 || core.claimedAt(*at) || core.report.modules.size() >= kMaxModules ||
      !core.memory.isBacked(*at, llvm::ELF::EI_NIDENT))
    return;
  addModuleAt(core, "", *at, /*fileBacked=*/false);
}

void addModuleAt(CoreContext &core, const std::string &path, std::uint64_t address, bool fileBacked,
                 std::optional<std::uint64_t> bias, const CoreMemory *view, bool loaded) {
  const CoreMemory &memory = view ? *view : core.memory;
  auto facts = inspectImageInMemory(memory, address);
  ModuleReport module;
  module.path = path.empty() ? "[ELF image at " + hexText(address) + "]" : path;
  if (!facts) {
    std::string problem = llvm::toString(facts.takeError());
    // pkgnote stamp's "segment" layout (docs/stamp.md) may move the program header table to a
    // PT_LOAD of its own, which a kernel core does not dump (only the page holding the ELF
    // header): the file under --root then names the package, when the core's read-only pages,
    // the first with the build-id among them, are the file's.
    if (fileBacked && memory.isBacked(address, llvm::ELF::EI_NIDENT))
      useFileAtHeader(core, memory, module, address);
    if (module.source != ModuleReport::Source::File)
      core.report.warnings.push_back("module '" + module.path + "': " + problem);
    core.report.modules.push_back(std::move(module));
    return;
  }
  if (!*facts) {
    // Header page not dumped. For NT_FILE mappings that usually means not ELF (locale archives,
    // fonts): only an ELF file is a module, and without the header nothing can be checked.
    if (!fileBacked)
      return;
    auto file = inspectModuleFile(core, path);
    if (!file) {
      llvm::consumeError(file.takeError());
      // link_map named it, or it was mapped as code, so it was loaded (elfutils lists it too);
      // otherwise not there means nothing to report.
      if (bias || loaded)
        core.report.modules.push_back(std::move(module));
      return;
    }
    if (!*file)
      return;
    module.elfArchitecture = elfArchitectureName((*file)->machine);
    // With a known load bias (link_map's l_addr) the file can still be checked against the
    // read-only pages the core holds; without one nothing can be checked.
    if (bias)
      useFileIfMatching(core, module, std::nullopt, std::nullopt, *bias, std::nullopt,
                        /*requireContent=*/true);
    else
      core.report.warnings.push_back("module '" + path +
                                     "': ELF header not in the core, file not used");
    core.report.modules.push_back(std::move(module));
    return;
  }
  core.claim(**facts);
  if (path.empty())
    if (std::string soname = sonameInMemory(memory, **facts); !soname.empty())
      module.path = soname;
  fillFromFacts(module, **facts);
  for (const std::string &problem : (*facts)->problems)
    core.report.warnings.push_back("module '" + module.path + "': " + problem);
  if (!module.package && !(*facts)->notesComplete && fileBacked)
    useFileIfMatching(core, module, *facts, std::nullopt, 0, std::nullopt);
  core.report.modules.push_back(std::move(module));
}

template <class ELFT>
llvm::Error readCoreModules(const ByteSource &source, const typename ELFT::Ehdr &header,
                            const std::vector<typename ELFT::Phdr> &segments,
                            const ReadOptions &options, FileReport &report) {
  std::vector<CoreSegment> loads;
  for (const auto &segment : segments) {
    if (segment.p_type != llvm::ELF::PT_LOAD || segment.p_filesz == 0)
      continue;
    // A truncated core (the dump was cut short) keeps what it has. holds() first: a streamed
    // core (io/captured_source.h) then need not be decompressed to its end to learn its size.
    std::uint64_t end = segment.p_offset + segment.p_filesz;
    if (end >= segment.p_offset && source.holds(end)) {
      loads.push_back({segment.p_vaddr, segment.p_offset, segment.p_filesz});
      continue;
    }
    if (segment.p_offset >= source.size())
      continue;
    std::uint64_t size =
        std::min<std::uint64_t>(segment.p_filesz, source.size() - segment.p_offset);
    loads.push_back({segment.p_vaddr, segment.p_offset, size});
  }
  // A module's ELF header, program headers and notes are in the first page of its segment.
  for (const CoreSegment &load : loads)
    source.expect(load.offset, std::min<std::uint64_t>(load.size, 4096));
  CoreMemory memory(source, std::move(loads));
  auto notes = readCoreNotes<ELFT>(source, segments);
  if (!notes)
    return notes.takeError();
  CoreContext core{source, memory, *notes, options, header.e_machine, report};
  for (const auto &segment : segments)
    if (segment.p_type == llvm::ELF::PT_LOAD && (segment.p_flags & llvm::ELF::PF_X))
      core.codeStarts.push_back(segment.p_vaddr);
  std::sort(core.codeStarts.begin(), core.codeStarts.end());

  if (auto execfn = notes->auxvValue(kAtExecfn)) {
    auto name = memory.readString(*execfn, kMaxPathLength, "AT_EXECFN");
    if (name)
      report.executable = *name;
    else
      llvm::consumeError(name.takeError()); // not dumped: NT_FILE or NT_PRPSINFO name it
  }
  if (notes->haveFileNote) {
    if (report.executable.empty() || report.executable.front() != '/')
      if (auto entry = notes->auxvValue(kAtEntry))
        for (const MappedFile &file : notes->files)
          if (*entry >= file.start && *entry < file.end) {
            report.executable = file.path;
            break;
          }
    modulesFromFileNote(core);
    addVdso(core);
  } else {
    if (report.executable.empty())
      report.executable = notes->commandName;
    modulesWithoutFileNote<ELFT>(core);
  }
  // A process whose modules are of another machine than its core was an emulator (qemu-user
  // running a foreign guest, gcore'd from the host).
  std::string coreArchitecture = elfArchitectureName(header.e_machine);
  for (const ModuleReport &module : report.modules)
    if (!module.elfArchitecture.empty() && module.elfArchitecture != coreArchitecture) {
      report.emulatedArchitecture = module.elfArchitecture;
      break;
    }
  return llvm::Error::success();
}

template llvm::Error
readCoreModules<llvm::object::ELF32LE>(const ByteSource &, const llvm::object::ELF32LE::Ehdr &,
                                       const std::vector<llvm::object::ELF32LE::Phdr> &,
                                       const ReadOptions &, FileReport &);
template llvm::Error
readCoreModules<llvm::object::ELF32BE>(const ByteSource &, const llvm::object::ELF32BE::Ehdr &,
                                       const std::vector<llvm::object::ELF32BE::Phdr> &,
                                       const ReadOptions &, FileReport &);
template llvm::Error
readCoreModules<llvm::object::ELF64LE>(const ByteSource &, const llvm::object::ELF64LE::Ehdr &,
                                       const std::vector<llvm::object::ELF64LE::Phdr> &,
                                       const ReadOptions &, FileReport &);
template llvm::Error
readCoreModules<llvm::object::ELF64BE>(const ByteSource &, const llvm::object::ELF64BE::Ehdr &,
                                       const std::vector<llvm::object::ELF64BE::Phdr> &,
                                       const ReadOptions &, FileReport &);

} // namespace pkgnote::detail
