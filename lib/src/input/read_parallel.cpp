// SPDX-License-Identifier: MIT
// Reading many inputs on a few threads while printing in input order. A producer (the tree walk)
// hands inputs over on its own thread as it finds them, so that reading starts with the first file
// rather than after the whole walk; workers take the next index and park their result in its
// slot; the calling thread emits slots in order as they fill, so output streams and stays stable
// whatever the thread timing.
#include "pkgnote/elf_reader.h"

#include "input/read_batch.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sys/resource.h>
#include <system_error>
#include <thread>

namespace pkgnote {

using detail::ReadOutcome;

namespace {

// Inputs and outcomes cross threads in small batches: one lock and at most one wake-up per batch,
// not per file (a walk over /usr/lib hands over thousands of files that are mostly not ELF and
// cost microseconds each, so per-file handovers were a third of the work on two threads).
// A worker's batch is also what it opens in one go (file_batch.h); a single thread reads in
// batches of kSerialBatch.
constexpr std::size_t kProducerBatch = 32;
constexpr std::size_t kWorkerBatch = 16;
constexpr std::size_t kSerialBatch = 32;

// What the producer, the workers and the emitting thread share; every member is guarded by mutex.
// Deques, so that handing out an index and filling a slot never moves the other elements.
struct Pipeline {
  std::mutex mutex;
  std::condition_variable inputArrived; // workers wait for work
  std::condition_variable slotFilled;   // the emitting thread waits for its next slot
  std::deque<ReadInput> inputs;         // as produced; a worker moves out the ones it takes
  std::deque<std::optional<ReadOutcome>> slots;
  std::size_t nextToRead = 0;
  std::size_t nextToEmit = 0;
  bool produced = false; // the producer has returned: inputs.size() is final
  std::size_t workerBatch = kWorkerBatch;
};

// A batch holds its files open together (file_batch.h): with many workers, batches shrink so that
// all of them stay well inside the open-file limit.
std::size_t batchFor(unsigned jobs, std::size_t most) {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return most;
  std::size_t share = static_cast<std::size_t>(limit.rlim_cur) / 4 / jobs;
  return std::clamp<std::size_t>(share, 1, most);
}

void work(Pipeline &pipeline, const ReadOptions &options) {
  detail::FileBatchOpener opener(options.useIoUring);
  std::vector<ReadInput> taken;
  std::vector<ReadOutcome> outcomes;
  std::unique_lock<std::mutex> lock(pipeline.mutex);
  for (;;) {
    pipeline.inputArrived.wait(
        lock, [&] { return pipeline.nextToRead < pipeline.inputs.size() || pipeline.produced; });
    if (pipeline.nextToRead == pipeline.inputs.size())
      return; // produced and all taken
    std::size_t first = pipeline.nextToRead;
    std::size_t count = std::min(pipeline.workerBatch, pipeline.inputs.size() - first);
    pipeline.nextToRead += count;
    taken.clear();
    for (std::size_t i = first; i < first + count; ++i)
      taken.push_back(std::move(pipeline.inputs[i]));
    lock.unlock();
    outcomes.clear();
    detail::readInputBatch(taken, opener, options, outcomes);
    lock.lock();
    for (std::size_t i = 0; i < count; ++i)
      pipeline.slots[first + i].emplace(std::move(outcomes[i]));
    // Only the batch holding the slot the emitting thread waits for wakes it up.
    if (first <= pipeline.nextToEmit && pipeline.nextToEmit < first + count)
      pipeline.slotFilled.notify_one();
  }
}

} // namespace

void readElfInputs(const InputProducer &produce, unsigned jobs, const ReadOptions &options,
                   const std::function<void(std::size_t, const ReadOutcome &)> &emit) {
  if (jobs <= 1) {
    detail::FileBatchOpener opener(options.useIoUring);
    std::vector<ReadInput> batch;
    std::vector<ReadOutcome> outcomes;
    std::size_t index = 0, most = batchFor(1, kSerialBatch);
    auto readBatch = [&] {
      outcomes.clear();
      detail::readInputBatch(batch, opener, options, outcomes);
      batch.clear();
      for (const ReadOutcome &outcome : outcomes)
        emit(index++, outcome);
    };
    produce([&](ReadInput input) {
      batch.push_back(std::move(input));
      if (batch.size() == most)
        readBatch();
    });
    readBatch();
    return;
  }
  Pipeline pipeline;
  pipeline.workerBatch = batchFor(jobs, kWorkerBatch);
  auto producer = [&] {
    std::vector<ReadInput> batch;
    auto publish = [&] {
      std::lock_guard<std::mutex> lock(pipeline.mutex);
      for (ReadInput &input : batch) {
        pipeline.inputs.push_back(std::move(input));
        pipeline.slots.emplace_back();
      }
      batch.clear();
      pipeline.inputArrived.notify_all();
    };
    produce([&](ReadInput input) {
      batch.push_back(std::move(input));
      if (batch.size() == kProducerBatch)
        publish();
    });
    publish();
    std::lock_guard<std::mutex> lock(pipeline.mutex);
    pipeline.produced = true;
    pipeline.inputArrived.notify_all();
    pipeline.slotFilled.notify_one(); // an empty or fully emitted input list ends the wait
  };
  std::vector<std::thread> threads;
  try {
    threads.emplace_back(producer);
    for (unsigned t = 0; t < jobs; ++t)
      threads.emplace_back(work, std::ref(pipeline), std::cref(options));
  } catch (const std::system_error &) {
    // Out of threads: with no producer thread, produce here; with no worker, read here too.
    if (threads.empty())
      producer();
    if (threads.size() <= 1)
      work(pipeline, options);
  }
  std::vector<ReadOutcome> ready;
  std::unique_lock<std::mutex> lock(pipeline.mutex);
  for (;;) {
    std::size_t next = pipeline.nextToEmit;
    pipeline.slotFilled.wait(lock, [&] {
      return (next < pipeline.slots.size() && pipeline.slots[next].has_value()) ||
             (pipeline.produced && next == pipeline.inputs.size());
    });
    if (next == pipeline.inputs.size())
      break;
    // Every consecutive outcome already there, emitted without holding the lock.
    ready.clear();
    for (std::size_t i = next; i < pipeline.slots.size() && pipeline.slots[i].has_value(); ++i) {
      ready.push_back(std::move(*pipeline.slots[i]));
      pipeline.slots[i].reset();
    }
    pipeline.nextToEmit = next + ready.size();
    lock.unlock();
    for (std::size_t i = 0; i < ready.size(); ++i)
      emit(next + i, ready[i]);
    lock.lock();
  }
  lock.unlock();
  for (std::thread &thread : threads)
    thread.join();
}

void readElfFiles(const std::vector<ReadInput> &inputs, unsigned jobs, const ReadOptions &options,
                  const std::function<void(std::size_t, const ReadOutcome &)> &emit) {
  // One input (`pkgnote read FILE`) is read on the calling thread: no thread start-up.
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, inputs.size()));
  readElfInputs(
      [&](const std::function<void(ReadInput)> &sink) {
        for (const ReadInput &input : inputs)
          sink(input);
      },
      jobs, options, emit);
}

} // namespace pkgnote
