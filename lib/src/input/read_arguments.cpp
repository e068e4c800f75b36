// SPDX-License-Identifier: MIT
// readArguments (pkgnote/read_arguments.h): runs of ordinary arguments go to the parallel reader
// of files and trees as one batch; an image or stdin is read where it stands, so outcomes stay in
// argument order. Every outcome goes out with the input it is about, so that a failed input gets
// a record of its own.
#include "pkgnote/read_arguments.h"

#include "image/image_reader.h"
#include "input/input_kind.h"
#include "io/byte_source.h"
#include "io/stream_adapters.h"
#include "resolve/disk_root.h"
#include "resolve/loader_search.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <unistd.h>

namespace pkgnote {
namespace {

bool endsWith(const std::string &text, const char *suffix) {
  std::size_t length = std::strlen(suffix);
  return text.size() >= length && text.compare(text.size() - length, length, suffix) == 0;
}

// "an .rpm" or "a .deb" when PATH is one by content (rpm's lead; an ar archive whose first member
// is debian-binary), else null. Only asked about a file that is not ELF: a walk asks only about
// files named so, which spares an open per non-ELF file of a tree.
const char *packageKind(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return nullptr;
  char head[21] = {};
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  ::close(fd);
  if (got >= 4 && std::memcmp(head, "\xed\xab\xee\xdb", 4) == 0)
    return "an .rpm";
  if (got >= 21 && std::memcmp(head, "!<arch>\ndebian-binary", 21) == 0)
    return "a .deb";
  return nullptr;
}

Error packageError(const std::string &path, const char *kind) {
  return detail::inputProblem(
      path, std::string(kind) +
                " package: read does not look inside packages (pkgnote verify checks its files)");
}

// OUTCOME, or the package error when INPUT is a package: a walk-found file named like one
// (std::nullopt: not ELF), or an argument that is not ELF.
Result<std::optional<FileReport>> orPackage(const Result<std::optional<FileReport>> &outcome,
                                            const std::string &input, bool walked) {
  bool notElf = outcome ? !*outcome : !walked;
  if (!notElf || (walked && !endsWith(input, ".rpm") && !endsWith(input, ".deb") &&
                  !endsWith(input, ".udeb") && !endsWith(input, ".ddeb")))
    return outcome;
  if (const char *kind = packageKind(input))
    return packageError(input, kind);
  return outcome;
}

} // namespace

void readArguments(const std::vector<std::string> &arguments, const WalkOptions &walk,
                   unsigned jobs, const ReadOptions &options, const NamedReportEmitter &namedEmit) {
  // `--deps`: the files and trees are resolved inside --root, here on the calling thread, where
  // one LoaderSearch keeps what it found for the whole run; an image's files come resolved
  // inside the image (image/).
  std::optional<detail::DiskRoot> root;
  std::optional<detail::LoaderSearch> search;
  if (options.dependencies) {
    root.emplace(options.root);
    search.emplace(*root);
  }
  auto emit = [&](const Result<std::optional<FileReport>> &outcome, const std::string &input) {
    if (!search || !outcome || !*outcome || !(*outcome)->dependencies ||
        (*outcome)->dependencies->isResolved)
      return namedEmit(outcome, input);
    Result<std::optional<FileReport>> resolved = outcome;
    FileReport &report = **resolved;
    search->resolve(root->insidePathOf(report.path), report);
    namedEmit(resolved, input);
  };
  std::vector<std::string> ordinary;
  auto flush = [&] {
    if (ordinary.empty())
      return;
    // The inputs produced but not yet emitted (both happen on this thread, in order).
    std::deque<ReadInput> pending;
    auto each = [&](std::size_t, const Result<std::optional<FileReport>> &outcome) {
      ReadInput input = std::move(pending.front());
      pending.pop_front();
      if (input.error)
        emit(outcome, input.path);
      else
        emit(orPackage(outcome, input.path, input.skipIfNotElf), input.path);
    };
    if (walk.recursive) { // read while walking
      // An image layout met in a tree is read as the image it is, after the tree's files.
      std::vector<std::string> layouts;
      WalkOptions walkLayouts = walk;
      walkLayouts.claimLayout = [&](const std::string &directory) {
        if (!detail::isImageLayout(directory))
          return false;
        layouts.push_back(directory);
        return true;
      };
      readElfInputs(
          [&](const auto &sink) {
            walkInputs(ordinary, walkLayouts, [&](ReadInput input) {
              pending.push_back(ReadInput{input.path, input.skipIfNotElf, input.error});
              sink(std::move(input));
            });
          },
          jobs, options, each);
      for (const std::string &layout : layouts)
        detail::readImageLayout(
            layout, layout, options,
            [&](Result<std::optional<FileReport>> outcome) { emit(outcome, layout); });
    } else {
      std::vector<ReadInput> inputs = expandInputs(ordinary, walk);
      pending.assign(inputs.begin(), inputs.end());
      readElfFiles(inputs, jobs, options, each);
    }
    ordinary.clear();
  };
  for (const std::string &argument : arguments) {
    auto sink = [&](Result<std::optional<FileReport>> outcome) { emit(outcome, argument); };
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
        emit(detail::inputProblem(argument, detail::errnoText(errno)), argument);
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

void readArguments(const std::vector<std::string> &arguments, const WalkOptions &walk,
                   unsigned jobs, const ReadOptions &options, const ReportEmitter &emit) {
  readArguments(arguments, walk, jobs, options,
                [&](const Result<std::optional<FileReport>> &outcome, const std::string &) {
                  emit(outcome);
                });
}

std::string inputErrorToJson(const std::string &input, const std::string &message) {
  nlohmann::ordered_json record;
  record["path"] = input;
  record["error"] = message;
  // Paths need not be UTF-8: replaced, never an exception.
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace pkgnote
