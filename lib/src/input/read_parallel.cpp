// SPDX-License-Identifier: MIT
// Reading many inputs on a few threads while printing in input order. The calling thread produces
// the inputs (the tree walk) and hands them over in batches as it finds them, so that reading
// starts with the first file rather than after the whole walk; worker threads take the next batch
// and park their outcomes in its slots; the calling thread emits slots in order as they fill
// (between batches while it produces, then until the end, reading batches itself while the next
// slot is not filled), so output streams and stays stable whatever the thread timing.
//
// By default (jobs 0) a machine of few cores starts on the calling thread alone, as --jobs 1, and
// starts workers (two per core) only when files turn out to be cold: when batches in a row made
// the process read from the disk (getrusage's ru_inblock grew; io_uring waits for such reads
// rather than fail them, so the ring cannot tell). Warm, on two cores shared with other work, the
// threads' hand-offs, wake-ups and the page faults of their own malloc arenas cost more CPU time
// than a second thread saves (bench/read.sh, docs/benchmarks.md); cold, the wait for the disk is
// what they overlap.
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
// batches of kSerialBatch. The emitting thread takes at most kEmitBatch outcomes per lock.
constexpr std::size_t kProducerBatch = 32;
constexpr std::size_t kWorkerBatch = 16;
constexpr std::size_t kSerialBatch = 32;
constexpr std::size_t kEmitBatch = 64;
// From this many cores on, the default reads in parallel from the start (see above).
constexpr unsigned kParallelFromStartCores = 4;
// Below that, it starts threads after kColdBatches batches in a row that each read at least
// kColdBatchBlocks 512-byte blocks from storage: a cold batch of 32 files reads hundreds (a head
// and its inode each), while a warm tree on a busy machine sees a stray directory block now and
// then (another process's package installation rewrote it), which is no reason for threads.
constexpr long kColdBatchBlocks = 64;
constexpr unsigned kColdBatches = 2;

using Emit = std::function<void(std::size_t, const ReadOutcome &)>;

// Blocks this process has read from storage so far (every thread, io_uring's workers included).
long blocksRead() {
  struct rusage usage;
  return ::getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_inblock : 0;
}

// What the calling thread (producer and emitter) and the workers share; all guarded by mutex.
// Both queues are windows that slide as the read goes on: inputs holds those not yet taken (the
// front one has index nextToRead), slots those taken and not yet emitted (the front one has index
// nextToEmit). Keeping every input and outcome of a walk until the end, as a first version did,
// grew the heap by megabytes over /usr/lib: the page faults of that growth, in the threads' own
// malloc arenas, cost more CPU time than the second thread saved.
struct Pipeline {
  std::mutex mutex;
  std::condition_variable inputArrived; // workers wait for work
  std::condition_variable slotFilled;   // the emitting thread waits for its next slot
  std::deque<ReadInput> inputs;
  std::deque<std::optional<ReadOutcome>> slots;
  std::size_t nextToRead = 0;
  std::size_t nextToEmit = 0;
  bool produced = false; // the producer is done: no input is added any more
  std::size_t workerBatch = kWorkerBatch;

  bool nextReady() const { return !slots.empty() && slots.front().has_value(); }
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

// One reading thread's state: its ring and its buffers, kept from batch to batch.
struct Reader {
  explicit Reader(const ReadOptions &options) : opener(options.useIoUring), options(options) {}
  void read(const std::vector<ReadInput> &inputs) {
    outcomes.clear();
    detail::readInputBatch(inputs, opener, options, outcomes);
  }
  detail::FileBatchOpener opener;
  const ReadOptions &options;
  std::vector<ReadInput> taken;
  std::vector<ReadOutcome> outcomes;
};

// Takes the next batch of inputs, reads it without the lock, and parks the outcomes in their
// slots. LOCK is held on entry and on return; there must be an input to take.
void readNextBatch(Pipeline &pipeline, Reader &reader, std::unique_lock<std::mutex> &lock) {
  std::size_t first = pipeline.nextToRead;
  std::size_t count = std::min(pipeline.workerBatch, pipeline.inputs.size());
  pipeline.nextToRead += count;
  pipeline.slots.resize(pipeline.slots.size() + count);
  reader.taken.clear();
  for (std::size_t i = 0; i < count; ++i) {
    reader.taken.push_back(std::move(pipeline.inputs.front()));
    pipeline.inputs.pop_front();
  }
  lock.unlock();
  reader.read(reader.taken);
  lock.lock();
  for (std::size_t i = 0; i < count; ++i)
    pipeline.slots[first + i - pipeline.nextToEmit].emplace(std::move(reader.outcomes[i]));
  // Only the batch holding the slot the emitting thread waits for wakes it up.
  if (first == pipeline.nextToEmit)
    pipeline.slotFilled.notify_one();
}

void work(Pipeline &pipeline, const ReadOptions &options) {
  Reader reader(options);
  std::unique_lock<std::mutex> lock(pipeline.mutex);
  for (;;) {
    pipeline.inputArrived.wait(lock, [&] { return !pipeline.inputs.empty() || pipeline.produced; });
    if (pipeline.inputs.empty())
      return; // produced and all taken
    readNextBatch(pipeline, reader, lock);
  }
}

// The parallel part of a read, driven by the calling thread: add() each input, then finish().
// Outcomes get indices from FIRST on (those before were read and emitted on this thread).
class ParallelRead {
public:
  ParallelRead(unsigned jobs, Reader &own, const Emit &emit, std::size_t first)
      : own_(own), emit_(emit) {
    pipeline_.workerBatch = batchFor(jobs, kWorkerBatch);
    pipeline_.nextToRead = pipeline_.nextToEmit = first;
    try {
      for (unsigned t = 1; t < jobs; ++t) // this thread is the last reader
        threads_.emplace_back(work, std::ref(pipeline_), std::cref(own.options));
    } catch (const std::system_error &) {
      // Out of threads: those started, and this one at the end, do the work.
    }
  }
  // Without finish() (the producer threw): the workers stop after their batch; nothing more is
  // emitted.
  ~ParallelRead() {
    if (finished_)
      return;
    {
      std::lock_guard<std::mutex> lock(pipeline_.mutex);
      pipeline_.inputs.clear();
      pipeline_.produced = true;
      pipeline_.inputArrived.notify_all();
    }
    for (std::thread &thread : threads_)
      thread.join();
  }
  ParallelRead(const ParallelRead &) = delete;
  ParallelRead &operator=(const ParallelRead &) = delete;

  void add(ReadInput input) {
    batch_.push_back(std::move(input));
    if (batch_.size() < kProducerBatch)
      return;
    publish();
    emitReady(/*untilDone=*/false);
  }

  // Hands over the last inputs, emits every outcome (reading too), and joins the workers.
  void finish() {
    if (finished_)
      return;
    finished_ = true;
    publish();
    {
      std::lock_guard<std::mutex> lock(pipeline_.mutex);
      pipeline_.produced = true;
      pipeline_.inputArrived.notify_all();
    }
    emitReady(/*untilDone=*/true);
    for (std::thread &thread : threads_)
      thread.join();
  }

private:
  void publish() {
    std::lock_guard<std::mutex> lock(pipeline_.mutex);
    for (ReadInput &input : batch_)
      pipeline_.inputs.push_back(std::move(input));
    batch_.clear();
    pipeline_.inputArrived.notify_all();
  }

  // Emits the outcomes already there, in order; with UNTIL_DONE, all of them: while the next one
  // is not there yet, this thread reads a batch itself rather than sleep.
  void emitReady(bool untilDone) {
    Pipeline &pipeline = pipeline_;
    std::unique_lock<std::mutex> lock(pipeline.mutex);
    for (;;) {
      if (untilDone) {
        while (!pipeline.nextReady() && !pipeline.inputs.empty())
          readNextBatch(pipeline, own_, lock);
        pipeline.slotFilled.wait(lock,
                                 [&] { return pipeline.nextReady() || pipeline.slots.empty(); });
      }
      if (!pipeline.nextReady())
        return; // UNTIL_DONE: nothing left to read nor to emit
      // The consecutive outcomes already there, emitted without holding the lock; a bounded
      // number at a time, so that this buffer stays small when the workers ran far ahead.
      std::size_t next = pipeline.nextToEmit;
      ready_.clear();
      while (pipeline.nextReady() && ready_.size() < kEmitBatch) {
        ready_.push_back(std::move(*pipeline.slots.front()));
        pipeline.slots.pop_front();
      }
      pipeline.nextToEmit = next + ready_.size();
      lock.unlock();
      for (std::size_t i = 0; i < ready_.size(); ++i)
        emit_(next + i, ready_[i]);
      lock.lock();
    }
  }

  Pipeline pipeline_;
  Reader &own_;
  const Emit &emit_;
  std::vector<std::thread> threads_;
  std::vector<ReadInput> batch_;
  std::vector<ReadOutcome> ready_;
  bool finished_ = false;
};

} // namespace

void readElfInputs(const InputProducer &produce, unsigned jobs, const ReadOptions &options,
                   const Emit &emit) {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  bool untilCold = jobs == 0 && cores >= 2 && cores < kParallelFromStartCores;
  if (jobs == 0)
    jobs = untilCold ? 1 : cores;
  Reader own(options);
  std::optional<ParallelRead> parallel;
  if (jobs >= 2)
    parallel.emplace(jobs, own, emit, 0);
  std::vector<ReadInput> batch;
  std::size_t index = 0, most = batchFor(1, kSerialBatch);
  long blocks = untilCold ? blocksRead() : 0;
  unsigned coldBatches = 0; // in a row
  auto readBatch = [&] {
    own.read(batch);
    batch.clear();
    for (const ReadOutcome &outcome : own.outcomes)
      emit(index++, outcome);
  };
  produce([&](ReadInput input) {
    if (parallel) {
      parallel->add(std::move(input));
      return;
    }
    batch.push_back(std::move(input));
    if (batch.size() < most)
      return;
    readBatch();
    if (!untilCold)
      return;
    long now = blocksRead();
    coldBatches = now - blocks >= kColdBatchBlocks ? coldBatches + 1 : 0;
    blocks = now;
    // The disk is in play: threads overlap its waits, more of them than cores (cold, 4 threads
    // read /usr 1.3x faster than --jobs 1 on 2 cores, 2 threads 1.2x).
    if (coldBatches == kColdBatches)
      parallel.emplace(2 * cores, own, emit, index);
  });
  if (parallel)
    parallel->finish();
  else
    readBatch();
}

void readElfFiles(const std::vector<ReadInput> &inputs, unsigned jobs, const ReadOptions &options,
                  const Emit &emit) {
  // One input (`pkgnote read FILE`) is read on the calling thread: no thread start-up.
  if (inputs.size() <= 1)
    jobs = 1;
  else if (jobs != 0)
    jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, inputs.size()));
  readElfInputs(
      [&](const std::function<void(ReadInput)> &sink) {
        for (const ReadInput &input : inputs)
          sink(input);
      },
      jobs, options, emit);
}

} // namespace pkgnote
