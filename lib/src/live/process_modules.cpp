// SPDX-License-Identifier: MIT
// modulesOf (process_modules.h). A module is a file the process maps from file offset 0 whose
// bytes there are an ELF executable or shared object, as in a core (core_reader.cpp); the
// first such mapping gives its address. Its running notes come from, in order of cost:
//  1. the file at its path, when stat(2) there gives the mapped device and inode (any user);
//  2. /proc/PID/map_files/START-END, the mapped file itself even when unlinked (root only);
//  3. /proc/PID/mem at the addresses that map the file (the ptrace read check, as maps).
// Each file is read once per run (FileCatalog). A file whose mapping the kernel marks deleted
// was removed or renamed over (as dpkg and rpm install); the file at its path now, if any, is
// read and compared by build-id and notes.
#include "live/process_modules.h"

#include "live/mapped_file.h"
#include "support/errors.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <unistd.h>

namespace pkgnote::detail {
namespace {

// One mapped file: its mappings in address order, the first at offset 0 being its header's.
struct MappedFile {
  FileKey key;
  std::vector<Mapping> mappings;
  const Mapping *header = nullptr;
};

std::vector<MappedFile> mappedFiles(const std::vector<Mapping> &mappings) {
  std::vector<MappedFile> files;
  std::map<FileKey, std::size_t> index;
  for (const Mapping &mapping : mappings) {
    if (!mapping.fileBacked())
      continue;
    FileKey key{mapping.device, mapping.inode};
    auto [it, inserted] = index.try_emplace(key, files.size());
    if (inserted)
      files.push_back({key, {}, nullptr});
    files[it->second].mappings.push_back(mapping);
  }
  std::vector<MappedFile> modules;
  for (MappedFile &file : files) {
    for (const Mapping &mapping : file.mappings)
      if (mapping.offset == 0 && mapping.readable) {
        file.header = &mapping;
        break;
      }
    if (file.header)
      modules.push_back(std::move(file));
  }
  // Moved vectors keep their elements, so the header pointers stay valid; sorted by header.
  std::sort(modules.begin(), modules.end(), [](const MappedFile &a, const MappedFile &b) {
    return a.header->start < b.header->start;
  });
  return modules;
}

FileFacts readFromMapping(ProcessView &view, const MappedFile &file, FileCatalog &catalog) {
  if (!catalog.mapFilesRefused) {
    char name[64];
    std::snprintf(name, sizeof name, "/map_files/%" PRIx64 "-%" PRIx64, file.header->start,
                  file.header->end);
    std::string path = view.procDir + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::close(fd);
      FileFacts facts = FileCatalog::readFile(path);
      facts.source = ProcessModule::Source::Mapping;
      return facts;
    }
    if (errno == EPERM || errno == EACCES)
      catalog.mapFilesRefused = true;
  }
  if (view.memFd == -1) {
    view.memFd = ::open((view.procDir + "/mem").c_str(), O_RDONLY | O_CLOEXEC);
    if (view.memFd < 0)
      view.memFd = -2;
  }
  if (view.memFd < 0) {
    FileFacts facts;
    facts.error = inputProblem(view.procDir + "/mem", "cannot be opened").message;
    return facts;
  }
  MappedFileSource source(view.memFd, file.mappings, view.procDir + "/mem");
  FileFacts facts = factsOf(inspectImageBytes(source));
  facts.source = ProcessModule::Source::Memory;
  return facts;
}

// The notes FILE runs, read once per device and inode: from the file at PATH when AT_PATH says it
// is the mapped one, else from the mapping. A failure is not remembered (it may be this
// process's alone, say one that exited meanwhile): it is left in UNREADABLE.
const FileFacts *runningFacts(ProcessView &view, const MappedFile &file, bool atPath,
                              const std::string &path, FileCatalog &catalog,
                              FileFacts &unreadable) {
  if (const FileFacts *known = catalog.find(file.key))
    return known;
  FileFacts read;
  if (atPath)
    read = FileCatalog::readFile(view.lookupPrefix + path);
  if (!atPath || read.error)
    read = readFromMapping(view, file, catalog);
  if (!read.error)
    return &catalog.remember(file.key, std::move(read));
  unreadable = std::move(read);
  return &unreadable;
}

// The facts of the file at PATH (as the process sees it), read once per device and inode.
const FileFacts &installedFacts(const ProcessView &view, const std::string &path,
                                const PathState &state, FileCatalog &catalog) {
  if (const FileFacts *known = catalog.find(state.key))
    return *known;
  return catalog.remember(state.key, FileCatalog::readFile(view.lookupPrefix + path));
}

// Fills MODULE's installed side from the file now at its path.
void compareInstalled(const ProcessView &view, ProcessModule &module, const PathState &state,
                      FileCatalog &catalog, std::vector<std::string> &warnings) {
  if (state.error == ENOENT || state.error == ENOTDIR) {
    module.installed = ProcessModule::Installed::Gone;
    return;
  }
  if (state.error != 0 || !state.regular) {
    module.installed = ProcessModule::Installed::Unknown;
    warnings.push_back("module '" + module.module.path +
                       "': the file at its path cannot be read: " +
                       (state.error ? errnoText(state.error) : "not a regular file"));
    return;
  }
  const FileFacts &installed = installedFacts(view, module.module.path, state, catalog);
  if (installed.error) {
    module.installed = ProcessModule::Installed::Unknown;
    warnings.push_back("module '" + module.module.path + "': " + *installed.error);
    return;
  }
  if (sameBuild(module.module, installed.report)) {
    module.installed = ProcessModule::Installed::Same;
    return;
  }
  module.installed = ProcessModule::Installed::Differs;
  module.installedFile = installed.report;
  module.installedFile.path = module.module.path;
}

} // namespace

std::string processPath(const ProcessView &view, const std::string &path) {
  const std::string &prefix = view.mapsPrefix;
  if (!prefix.empty() && path.size() > prefix.size() &&
      path.compare(0, prefix.size(), prefix) == 0 && path[prefix.size()] == '/')
    return path.substr(prefix.size());
  return path;
}

std::vector<ProcessModule> modulesOf(ProcessView &view, const std::vector<Mapping> &mappings,
                                     const std::optional<FileKey> &exe, FileCatalog &catalog,
                                     std::vector<std::string> &warnings) {
  std::vector<ProcessModule> modules;
  std::vector<std::uint16_t> machines;
  std::optional<std::uint16_t> host;
  for (const MappedFile &file : mappedFiles(mappings)) {
    ProcessModule module;
    module.module.path = processPath(view, file.header->path);
    const PathState &state =
        catalog.stat(view.root, module.module.path, view.lookupPrefix + module.module.path);
    if (state.error == 0 && !state.regular)
      continue; // a device (/dev/zero, a GPU's memory): never opened
    bool atPath = state.error == 0 && state.key == file.key;
    // A memfd (a program run from memory, as runc and sandboxes re-execute themselves) was never
    // a file on disk: nothing is installed in its place, so it is neither deleted nor stale.
    bool memoryFile = file.header->deleted && file.header->path.rfind("/memfd:", 0) == 0;
    // Same filesystem, another inode: replaced, though the kernel saw no unlink (a bind mount
    // over the path). On another device (overlayfs shows its own) only the kernel's word counts.
    module.deleted = (file.header->deleted && !memoryFile) ||
                     (state.error == 0 && state.key.device == file.key.device && !atPath);
    FileFacts unreadable;
    const FileFacts *facts =
        runningFacts(view, file, atPath, module.module.path, catalog, unreadable);
    if (facts->error) {
      // Only code makes an unreadable file a module: a data file it may well be.
      bool code = false;
      for (const Mapping &mapping : file.mappings)
        code = code || mapping.executable;
      if (!code)
        continue;
      warnings.push_back("module '" + module.module.path + "': " + *facts->error);
    } else if (!facts->module) {
      continue;
    }
    std::string path = std::move(module.module.path);
    module.module = facts->report;
    module.module.path = std::move(path);
    module.source = facts->source;
    for (const std::string &problem : facts->problems)
      warnings.push_back("module '" + module.module.path + "': " + problem);
    if (exe && file.key == *exe && !facts->error)
      host = facts->machine;
    if (atPath || memoryFile)
      module.installed = ProcessModule::Installed::Same;
    else
      compareInstalled(view, module, state, catalog, warnings);
    machines.push_back(facts->error ? 0 : facts->machine);
    modules.push_back(std::move(module));
  }
  // A qemu-user emulator maps its guest's program, interpreter and libraries from their files:
  // they are the modules of another machine than the emulator's own executable.
  if (host)
    for (std::size_t i = 0; i < modules.size(); ++i)
      modules[i].guest = machines[i] != 0 && machines[i] != *host;
  return modules;
}

} // namespace pkgnote::detail
