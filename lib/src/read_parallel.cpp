// Reading many inputs on a few threads while printing in input order: workers take the next
// index from a counter and park their result in its slot; the caller emits slots in order as
// they fill, so output streams and stays stable whatever the thread timing.
#include "pkgnote/elf_reader.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

namespace pkgnote {

using Outcome = Result<std::optional<FileReport>>;

static Outcome readOne(const ReadInput &input, const ReadOptions &options) {
  if (input.error)
    return *input.error;
  if (input.skipIfNotElf)
    return readElfFileIfElf(input.path, options);
  Result<FileReport> report = readElfFile(input.path, options);
  if (!report)
    return report.error();
  return std::optional<FileReport>(std::move(*report));
}

void readElfFiles(const std::vector<ReadInput> &inputs, unsigned jobs, const ReadOptions &options,
                  const std::function<void(std::size_t, const Outcome &)> &emit) {
  unsigned threads = static_cast<unsigned>(std::min<std::size_t>(jobs, inputs.size()));
  if (threads <= 1) {
    for (std::size_t i = 0; i < inputs.size(); ++i)
      emit(i, readOne(inputs[i], options));
    return;
  }
  std::vector<std::optional<Outcome>> slots(inputs.size());
  std::mutex mutex;
  std::condition_variable filled;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < inputs.size();) {
      Outcome outcome = readOne(inputs[i], options);
      std::lock_guard<std::mutex> lock(mutex);
      slots[i].emplace(std::move(outcome));
      filled.notify_one();
    }
  };
  std::vector<std::thread> workers;
  try {
    for (unsigned t = 0; t < threads; ++t)
      workers.emplace_back(work);
  } catch (const std::system_error &) {
    // Out of threads: the workers already started finish the job; with none, this thread does.
    if (workers.empty())
      work();
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::optional<Outcome> outcome;
    {
      std::unique_lock<std::mutex> lock(mutex);
      filled.wait(lock, [&] { return slots[i].has_value(); });
      outcome = std::move(slots[i]);
      slots[i].reset();
    }
    emit(i, *outcome);
  }
  for (std::thread &worker : workers)
    worker.join();
}

} // namespace pkgnote
