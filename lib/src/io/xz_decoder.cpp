// SPDX-License-Identifier: MIT
// XzDecoder (xz_decoder.h). The .xz format (tukaani.org/xz/xz-file-format.txt): stream header,
// blocks, index, stream footer, then stream padding and perhaps another stream. Each block header
// may give the block's compressed and uncompressed sizes (`xz -T`, and so dpkg-deb and rpm, write
// them); with both, the block's compressed bytes can be set aside whole and the input read on to
// the next block, which is what lets a second block be decoded before the first is consumed.
//
// Who does what: the caller's thread reads the input, parses headers, decodes the current block
// into 512 KiB chunks and does the index bookkeeping in block order; one worker thread at a time
// decodes the first half of the next block into the ahead buffer. The ahead buffer is handed to
// the caller as one chunk and is free again at the caller's next call, when the worker can start
// on the block after. An error met ahead (or while parsing ahead) is reported only when the
// caller reaches it, after every byte before it, as a sequential decoder would.
#include "io/xz_decoder.h"

#include "io/byte_source.h"
#include "io/xz_block.h"

#include <algorithm>
#include <system_error>
#include <thread>
#include <vector>

namespace pkgnote::detail {

XzDecoderLimits defaultXzDecoderLimits() {
  XzDecoderLimits limits;
  limits.decodeAhead = std::thread::hardware_concurrency() >= 2;
  return limits;
}

namespace {

const std::uint8_t kXzMagic[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

// What the caller's thread decodes into per call: big enough that libarchive's per-call cost
// vanishes, small enough to stay in the cache on its way through the tar reader.
constexpr std::size_t kChunkBytes = 512 << 10;
// The first call's chunk, and no work ahead before a second call: a reader that looks at the
// first bytes of a compressed file and finds it is not ELF (a walk over /usr/share) pays for
// 64 KiB of decoding, not for half of the next block.
constexpr std::size_t kFirstChunkBytes = 64 << 10;

} // namespace

bool isXz(llvm::ArrayRef<std::uint8_t> head) {
  return head.size() >= sizeof kXzMagic &&
         std::equal(kXzMagic, kXzMagic + sizeof kXzMagic, head.begin());
}

struct XzDecoder::State {
  std::string name;
  Source source;
  XzDecoderLimits limits;

  // Input.
  llvm::ArrayRef<std::uint8_t> chunk;
  std::uint64_t consumed = 0; // offset of chunk.front() in the input
  bool inputEnded = false;

  // The stream being read.
  enum class Phase { StreamHeader, Blocks, End } phase = Phase::StreamHeader;
  lzma_stream_flags flags{};
  lzma_index_hash *indexHash = nullptr;
  std::uint64_t blocks = 0;

  std::unique_ptr<XzBlock> current, next; // NEXT: its header parsed, maybe being decoded ahead
  std::vector<std::unique_ptr<XzBlockDecoder>> spare;
  std::unique_ptr<std::uint8_t[]> out;
  std::unique_ptr<std::uint8_t[]> aheadBuffer;
  std::size_t aheadCapacity = 0;
  std::thread worker;
  bool aheadBusy = false;   // the ahead buffer holds bytes not yet handed out, or the caller's
  bool aheadHanded = false; // handed out by the last call: free at this one
  std::uint64_t calls = 0;  // of next()
  llvm::Error deferred = llvm::Error::success(); // met ahead, for when the caller gets there
  std::uint64_t decodedAhead = 0;

  // The caller came back after its first chunk: it reads on, so work ahead pays.
  bool wantedMore() const { return calls >= 2; }

  ~State() {
    if (worker.joinable())
      worker.join();
    llvm::consumeError(std::move(deferred));
    lzma_index_hash_end(indexHash, nullptr);
  }

  llvm::Error fail(const llvm::Twine &part, std::uint64_t offset, const std::string &what) {
    return inputError(name, "xz data: " + part + " at byte " + llvm::Twine(offset) + ": " + what);
  }
  llvm::Error fail(const XzBlock &block, lzma_ret ret) {
    return fail("block " + llvm::Twine(block.number), block.offset,
                xzProblem(ret, block.memusage, limits.memlimit));
  }

  // Input ----------------------------------------------------------------------------------
  llvm::Expected<bool> fill() {
    while (chunk.empty() && !inputEnded) {
      auto got = source();
      if (!got)
        return got.takeError();
      if (got->empty())
        inputEnded = true;
      chunk = *got;
    }
    return !chunk.empty();
  }
  void consume(std::size_t n) {
    chunk = chunk.drop_front(n);
    consumed += n;
  }
  // Appends the next N bytes to OUT; false when the input ends first.
  template <typename Sink> llvm::Expected<bool> take(std::uint64_t n, Sink sink) {
    while (n > 0) {
      auto more = fill();
      if (!more)
        return more.takeError();
      if (!*more)
        return false;
      std::size_t step = static_cast<std::size_t>(std::min<std::uint64_t>(n, chunk.size()));
      sink(chunk.data(), step);
      consume(step);
      n -= step;
    }
    return true;
  }
  llvm::Expected<bool> takeInto(std::uint8_t *out, std::size_t n) {
    return take(n, [&](const std::uint8_t *data, std::size_t step) {
      out = std::copy(data, data + step, out);
    });
  }

  // Stream header, index, footer, padding ---------------------------------------------------
  llvm::Error readStreamHeader() {
    std::uint64_t offset = consumed;
    std::uint8_t header[LZMA_STREAM_HEADER_SIZE];
    std::size_t got = 0;
    auto whole = take(sizeof header, [&](const std::uint8_t *data, std::size_t step) {
      std::copy(data, data + step, header + got);
      got += step;
    });
    if (!whole)
      return whole.takeError();
    // Too short for a stream header: "not xz" unless it is the start of one.
    if (!*whole)
      return fail("stream header", offset,
                  std::equal(header, header + std::min(got, sizeof kXzMagic), kXzMagic)
                      ? "truncated"
                      : "not xz data");
    lzma_ret ret = lzma_stream_header_decode(&flags, header);
    if (ret != LZMA_OK)
      return fail("stream header", offset, xzProblem(ret, 0, 0));
    if (lzma_index_hash *reset = lzma_index_hash_init(indexHash, nullptr))
      indexHash = reset;
    else
      return fail("stream header", offset, xzProblem(LZMA_MEM_ERROR, 0, 0));
    phase = Phase::Blocks;
    return llvm::Error::success();
  }

  // The index (its first byte is next), the footer and the padding after them.
  llvm::Error readIndexAndFooter() {
    std::uint64_t offset = consumed;
    for (lzma_ret ret = LZMA_OK; ret != LZMA_STREAM_END;) {
      auto more = fill();
      if (!more)
        return more.takeError();
      if (!*more)
        return fail("index", offset, "truncated");
      std::size_t used = 0;
      ret = lzma_index_hash_decode(indexHash, chunk.data(), &used, chunk.size());
      consume(used);
      if (ret != LZMA_OK && ret != LZMA_STREAM_END)
        return fail("index", offset, xzProblem(ret, 0, 0));
    }
    offset = consumed;
    std::uint8_t bytes[LZMA_STREAM_HEADER_SIZE];
    auto whole = takeInto(bytes, sizeof bytes);
    if (!whole)
      return whole.takeError();
    if (!*whole)
      return fail("stream footer", offset, "truncated");
    lzma_stream_flags footer{};
    if (lzma_stream_footer_decode(&footer, bytes) != LZMA_OK ||
        lzma_stream_flags_compare(&flags, &footer) != LZMA_OK ||
        footer.backward_size != lzma_index_hash_size(indexHash))
      return fail("stream footer", offset, "corrupt data");
    // Stream padding: zeros in multiples of four, then the end or another stream.
    offset = consumed;
    for (std::uint64_t padding = 0;;) {
      auto more = fill();
      if (!more)
        return more.takeError();
      std::size_t zeros = 0;
      while (zeros < chunk.size() && chunk[zeros] == 0)
        ++zeros;
      consume(zeros);
      padding += zeros;
      if (*more && chunk.empty())
        continue;
      if (padding % 4 != 0)
        return fail("stream padding", offset, "corrupt data");
      phase = chunk.empty() ? Phase::End : Phase::StreamHeader;
      return llvm::Error::success();
    }
  }

  // Blocks ---------------------------------------------------------------------------------
  // The next block's header, or null when the index comes next.
  llvm::Expected<std::unique_ptr<XzBlock>> parseBlock() {
    auto more = fill();
    if (!more)
      return more.takeError();
    if (!*more)
      return fail("block " + llvm::Twine(blocks + 1), consumed, "truncated");
    if (chunk.front() == 0x00)
      return nullptr;
    auto block = std::make_unique<XzBlock>();
    block->number = ++blocks;
    block->offset = consumed;
    std::uint8_t header[LZMA_BLOCK_HEADER_SIZE_MAX];
    block->options.version = 1;
    block->options.header_size = lzma_block_header_size_decode(chunk.front());
    block->options.check = flags.check;
    block->options.filters = block->filters;
    auto whole = takeInto(header, block->options.header_size);
    if (!whole)
      return whole.takeError();
    if (!*whole)
      return fail(*block, LZMA_BUF_ERROR);
    block->bodyStart = consumed;
    if (lzma_ret ret = lzma_block_header_decode(&block->options, nullptr, header))
      return fail(*block, ret);
    block->memusage = lzma_raw_decoder_memusage(block->filters);
    if (block->memusage == UINT64_MAX)
      return fail(*block, LZMA_OPTIONS_ERROR);
    if (block->memusage > limits.memlimit)
      return fail(*block, LZMA_MEMLIMIT_ERROR);
    if (block->sized() && lzma_block_total_size(&block->options) == 0)
      return fail(*block, LZMA_DATA_ERROR);
    return block;
  }

  // Reads the rest of BLOCK's body (all of it, or what its decoder has not yet taken from the
  // input) when that lets the input go on to the next block within budget. An input that ends
  // first leaves the body short and TRUNCATED: the bytes before the end are still decoded.
  llvm::Error bufferBody(XzBlock &block) {
    if (!limits.decodeAhead || !wantedMore() || !block.sized() || block.buffered ||
        block.memusage + block.bodyBytes() > limits.aheadBudget / 2)
      return llvm::Error::success();
    std::uint64_t size = block.bodyBytes() - (consumed - block.bodyStart);
    block.body.reserve(static_cast<std::size_t>(size));
    auto whole = take(size, [&](const std::uint8_t *data, std::size_t step) {
      block.body.insert(block.body.end(), data, data + step);
    });
    if (!whole)
      return whole.takeError();
    block.truncated = !*whole;
    block.buffered = true;
    return llvm::Error::success();
  }

  llvm::Error startDecoder(XzBlock &block) {
    if (spare.empty())
      spare.push_back(std::make_unique<XzBlockDecoder>());
    block.decoder = std::move(spare.back());
    spare.pop_back();
    if (lzma_ret ret = lzma_block_decoder(&block.decoder->stream, &block.options))
      return fail(block, ret);
    lzma_filters_free(block.filters, nullptr); // the decoder has what it needs of them
    return llvm::Error::success();
  }

  // Parses the block after the current one and, when it fits the budget, starts decoding its
  // first half on the worker. Errors wait in DEFERRED until the current block is consumed.
  void lookAhead() {
    if (!limits.decodeAhead || !wantedMore() || aheadBusy || next || deferred || !current ||
        !current->buffered)
      return;
    auto parsed = parseBlock();
    if (!parsed) {
      deferred = parsed.takeError();
      return;
    }
    if (!*parsed)
      return;
    next = std::move(*parsed);
    XzBlock &block = *next;
    std::uint64_t half = block.sized() ? (block.options.uncompressed_size + 1) / 2 : 0;
    if (!block.sized() ||
        current->memusage + current->body.size() + block.memusage + block.bodyBytes() + half >
            limits.aheadBudget)
      return; // decoded after the current block, on this thread
    llvm::Error error = bufferBody(block);
    if (!error && block.buffered)
      error = startDecoder(block);
    if (error) {
      deferred = std::move(error);
      next.reset();
      return;
    }
    if (!block.buffered || block.truncated || half == 0)
      return; // decoded after the current block, on this thread, up to where its input ends
    if (aheadCapacity < half) {
      aheadBuffer.reset(); // before the new one: the old one's pages are not kept
      aheadBuffer.reset(new std::uint8_t[half]);
      aheadCapacity = static_cast<std::size_t>(half);
    }
    try {
      worker = std::thread(decodeAhead, std::ref(block), aheadBuffer.get(),
                           static_cast<std::size_t>(half));
      aheadBusy = true;
    } catch (const std::system_error &) {
      // Out of threads: the block is decoded after the current one, as without a worker.
    }
  }

  // The current block, its worker's output first.
  llvm::Expected<llvm::ArrayRef<std::uint8_t>> decodeCurrent() {
    XzBlock &block = *current;
    if (block.ahead > 0 && !block.aheadTaken) {
      block.aheadTaken = true;
      aheadHanded = true;
      return llvm::ArrayRef<std::uint8_t>(aheadBuffer.get(), block.ahead);
    }
    if (block.aheadStatus != LZMA_OK && block.aheadStatus != LZMA_STREAM_END)
      return fail(block, block.aheadStatus);
    if (!out)
      out.reset(new std::uint8_t[kChunkBytes]);
    std::size_t produced = 0;
    lzma_ret ret = block.aheadStatus;
    std::size_t want = wantedMore() ? kChunkBytes : kFirstChunkBytes;
    while (ret == LZMA_OK && produced < want) {
      llvm::ArrayRef<std::uint8_t> in;
      if (block.buffered) {
        in = llvm::ArrayRef<std::uint8_t>(block.body).drop_front(block.bodyUsed);
      } else {
        auto more = fill();
        if (!more)
          return more.takeError();
        in = chunk;
      }
      std::size_t used = 0, made = 0;
      ret = decodeXz(block.decoder->stream, in, out.get() + produced, want - produced, used, made);
      produced += made;
      if (block.buffered)
        block.bodyUsed += used;
      else
        consume(used);
      // Stuck with no input left: the body ended before the block (buffered: its header's sizes
      // lied, which liblzma nearly always says first), or the input did.
      if (ret == LZMA_OK && used == 0 && made == 0 && in.empty())
        return fail(block, block.buffered && !block.truncated ? LZMA_DATA_ERROR : LZMA_BUF_ERROR);
    }
    if (ret != LZMA_OK && ret != LZMA_STREAM_END)
      return fail(block, ret);
    if (ret == LZMA_STREAM_END) {
      if (block.buffered && block.bodyUsed != block.body.size())
        return fail(block, LZMA_DATA_ERROR);
      if (lzma_index_hash_append(indexHash, lzma_block_unpadded_size(&block.options),
                                 block.options.uncompressed_size) != LZMA_OK)
        return fail(block, LZMA_DATA_ERROR);
      spare.push_back(std::move(block.decoder));
      current.reset();
    }
    return llvm::ArrayRef<std::uint8_t>(out.get(), produced);
  }

  // Between blocks: the next one becomes current, or the stream's index and footer come.
  llvm::Error advance() {
    if (next) {
      if (worker.joinable()) {
        worker.join();
        ++decodedAhead;
      }
      current = std::move(next);
      if (current->ahead == 0)
        aheadBusy = false;
    } else if (deferred) {
      return std::move(deferred);
    } else {
      auto parsed = parseBlock();
      if (!parsed)
        return parsed.takeError();
      if (!*parsed)
        return readIndexAndFooter();
      current = std::move(*parsed);
    }
    if (llvm::Error error = bufferBody(*current))
      return error;
    if (!current->decoder)
      if (llvm::Error error = startDecoder(*current))
        return error;
    lookAhead();
    return llvm::Error::success();
  }
};

XzDecoder::XzDecoder(std::string name, Source source, XzDecoderLimits limits)
    : state_(std::make_unique<State>()) {
  state_->name = std::move(name);
  state_->source = std::move(source);
  state_->limits = limits;
}

XzDecoder::~XzDecoder() = default;

std::uint64_t XzDecoder::blocksDecodedAhead() const { return state_->decodedAhead; }

llvm::Expected<llvm::ArrayRef<std::uint8_t>> XzDecoder::next() {
  State &s = *state_;
  if (++s.calls == 2) {
    if (s.current)
      if (llvm::Error error = s.bufferBody(*s.current))
        return error;
    s.lookAhead();
  }
  if (s.aheadHanded) {
    s.aheadHanded = false;
    s.aheadBusy = false;
    s.lookAhead();
  }
  for (;;) {
    switch (s.phase) {
    case State::Phase::End:
      return llvm::ArrayRef<std::uint8_t>();
    case State::Phase::StreamHeader:
      if (llvm::Error error = s.readStreamHeader()) {
        return error;
      }
      continue;
    case State::Phase::Blocks:
      break;
    }
    if (s.current) {
      auto chunk = s.decodeCurrent();
      if (!chunk || !chunk->empty())
        return chunk;
      continue;
    }
    if (llvm::Error error = s.advance())
      return error;
  }
}

} // namespace pkgnote::detail
