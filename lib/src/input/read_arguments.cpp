// SPDX-License-Identifier: MIT
// readArguments (pkgnote/read_arguments.h): runs of ordinary arguments go to the parallel reader
// of files and trees as one batch; an image or stdin is read where it stands, so outcomes stay in
// argument order.
#include "pkgnote/read_arguments.h"

#include "image/image_reader.h"
#include "input/input_kind.h"
#include "io/byte_source.h"
#include "io/stream_adapters.h"
#include "resolve/disk_root.h"
#include "resolve/loader_search.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace pkgnote {

void readArguments(const std::vector<std::string> &arguments, const WalkOptions &walk,
                   unsigned jobs, const ReadOptions &options, const ReportEmitter &reportEmit) {
  // `--deps`: the files and trees are resolved inside --root, here on the calling thread, where
  // one LoaderSearch keeps what it found for the whole run; an image's files come resolved
  // inside the image (image/).
  std::optional<detail::DiskRoot> root;
  std::optional<detail::LoaderSearch> search;
  if (options.dependencies) {
    root.emplace(options.root);
    search.emplace(*root);
  }
  ReportEmitter emit = [&](const Result<std::optional<FileReport>> &outcome) {
    if (!search || !outcome || !*outcome || !(*outcome)->dependencies ||
        (*outcome)->dependencies->isResolved)
      return reportEmit(outcome);
    Result<std::optional<FileReport>> resolved = outcome;
    FileReport &report = **resolved;
    search->resolve(root->insidePathOf(report.path), report);
    reportEmit(resolved);
  };
  std::vector<std::string> ordinary;
  auto flush = [&] {
    if (ordinary.empty())
      return;
    auto each = [&](std::size_t, const Result<std::optional<FileReport>> &outcome) {
      emit(outcome);
    };
    if (walk.recursive) // read while walking
      readElfInputs([&](const auto &sink) { walkInputs(ordinary, walk, sink); }, jobs, options,
                    each);
    else
      readElfFiles(expandInputs(ordinary, walk), jobs, options, each);
    ordinary.clear();
  };
  auto sink = [&](Result<std::optional<FileReport>> outcome) { emit(outcome); };
  for (const std::string &argument : arguments) {
    if (argument == "-") {
      flush();
      detail::readStdin(options, sink);
      continue;
    }
    switch (detail::inputKindOf(argument)) {
    case detail::InputKind::Ordinary:
      ordinary.push_back(argument);
      break;
    case detail::InputKind::ImageLayout:
      flush();
      detail::readImageLayout(argument, argument, options, sink);
      break;
    case detail::InputKind::ImageArchive: {
      flush();
      int fd = ::open(argument.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        emit(Error{"'" + argument + "': " + detail::errnoText(errno)});
        break;
      }
      detail::readImageArchive(argument, detail::descriptorChunks(fd, argument), options, sink);
      ::close(fd);
      break;
    }
    }
  }
  flush();
}

} // namespace pkgnote
