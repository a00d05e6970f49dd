// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/sampling.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace facet {

struct TextModelOptions {
    std::string device;          // substring of a Vulkan device name; empty picks by kind
    uint32_t contextLength = 0;  // 0: min(model maximum, 8192)
    bool f32KvCache = false;     // f16 is the product default; parity tests use f32
    bool validation = false;     // Vulkan validation layer (FACET_VK_VALIDATION=1 too)
    uint32_t prefillChunk = 0;   // tokens per prefill submission; 0: 128 (1152 where an image must fit one: 26B/31B)
    // Loading reports the share of weights on the device (0..1) and stops with
    // facet::Error("Loading was cancelled.") once *cancel is true.
    std::function<void(float)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct TextModelInfo {
    std::string fileName;
    std::filesystem::path path;     // as opened
    std::string architecture;       // "gemma4" or "gemma3": picks the chat format
    bool perLayerEmbeddings = false; // E2B/E4B, whose template opens replies without an empty thought
    std::string deviceName;
    std::string deviceReason;
    uint32_t layers = 0;
    uint32_t hidden = 0;
    uint32_t vocab = 0;
    uint32_t contextLength = 0;     // the context this session can hold
    uint64_t weightBytesOnDevice = 0;
    uint64_t weightBytesPerToken = 0; // read per decoded token: all but the unchosen experts
    uint64_t kvCacheBytes = 0;      // sliding layers count only their window
    uint64_t deviceBytes = 0;       // everything allocated on the device: weights, cache, activations
    SamplingParams defaultSampling; // the file's general.sampling.* keys where present
};

// What a model will need before it is loaded (LM Studio-style guardrail): weights as
// stored that go to the device, the per-layer-embedding table that stays in host
// memory, and the KV cache at `contextLength` with sliding-window layers counted at
// their window. Throws facet::Error for files that cannot be read.
struct MemoryEstimate {
    uint64_t deviceWeightBytes = 0;
    uint64_t hostBytes = 0;
    uint64_t kvCacheBytes = 0;
    uint32_t contextLength = 0; // as clamped to the model's maximum
    uint64_t deviceBytes() const { return deviceWeightBytes + kvCacheBytes; }
};
MemoryEstimate estimateMemory(const std::filesystem::path& path, uint32_t contextLength, bool f16KvCache = true);

// Embedding rows [count, hidden] that replace tokens first .. first+count-1 of a prefill.
struct SoftTokens {
    uint32_t first = 0;
    uint32_t count = 0;
    std::span<const float> rows;
    // An image: on models built so (26B-A4B, 31B) its tokens see each other, later
    // ones included, in the sliding-window layers. Audio stays causal.
    bool image = false;
};

// A Gemma 4 text decoder loaded onto a Vulkan device, holding one conversation's
// context. Not thread-safe: one thread drives it.
class TextModel {
public:
    // Opens a GGUF file or a Hugging Face folder. Throws facet::Error with one sentence.
    static std::unique_ptr<TextModel> open(const std::filesystem::path& path, const TextModelOptions& options = {});
    virtual ~TextModel() = default;

    virtual const TextModelInfo& info() const = 0;
    virtual uint32_t position() const = 0; // tokens in the context so far
    virtual void reset() = 0;              // empties the context

    // How decode() and prefill() choose the next token; temperature 0 (the initial
    // setting) is greedy. Sampling reads back the top-k candidates, greedy only the id.
    virtual void setSampling(const SamplingParams& params) = 0;

    // Appends one token at position(). Returns the next token (greedy or sampled); copies
    // the soft-capped logits (after the repetition penalty, when sampling) into *logits
    // when asked.
    virtual int32_t decode(int32_t token, std::vector<float>* logits = nullptr) = 0;

    // Appends tokens; returns the next token after the last one and, when asked, the
    // logits after every token ([tokens, vocab] row-major; the next token is then greedy).
    int32_t prefill(std::span<const int32_t> tokens, std::vector<float>* allLogits = nullptr)
    {
        return prefill(tokens, {}, allLogits);
    }
    // The same, with soft tokens (image or audio embeddings, already in the text width)
    // in place of the embeddings of their placeholder tokens; those positions take the
    // pad token's per-layer embedding, as transformers does.
    virtual int32_t prefill(std::span<const int32_t> tokens, std::span<const SoftTokens> soft,
                            std::vector<float>* allLogits = nullptr) = 0;

    // Errors the Vulkan validation layer reported for this model's device, when it is on.
    virtual uint32_t validationErrors() const = 0;
};

} // namespace facet
