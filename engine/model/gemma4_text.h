// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/text_model.h"
#include "model/text_config.h"
#include "model/weight_source.h"
#include "vk/context.h"
#include "vk/kernels/attention.h"
#include "vk/kernels/matvec.h"
#include "vk/kernels/moe.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

#include <memory>
#include <optional>
#include <vector>

namespace facet::model {

// The Gemma 4 text decoder (gemma4-text.md §2-§8) as a GPU graph: weights on the device
// in their file's type, KV caches per owning layer, one command buffer per token.
// Lives on the thread that drives it.
class Gemma4Text final : public TextModel {
public:
    Gemma4Text(std::unique_ptr<WeightSource> weights, const TextModelOptions& options);
    ~Gemma4Text() override;

    const TextModelInfo& info() const override { return m_info; }
    void setPath(const std::filesystem::path& path) { m_info.path = path; }

private:
    std::function<void(float)> m_progress;
    const std::atomic<bool>* m_cancel = nullptr;
    uint64_t m_weightsToUpload = 0;

public:
    uint32_t position() const override { return m_pos; }
    void reset() override
    {
        m_pos = 0;
        m_recent.clear();
    }
    int32_t decode(int32_t token, std::vector<float>* logits = nullptr) override;
    using TextModel::prefill;
    int32_t prefill(std::span<const int32_t> tokens, std::span<const SoftTokens> soft, std::vector<float>* allLogits) override;
    uint32_t validationErrors() const override { return m_ctx->instance().validationErrors(); }
    void setSampling(const SamplingParams& params) override;

    const TextConfig& config() const { return m_cfg; }
    // The experts a MoE layer chose for the last chunk's tokens, [tokens, k], and their
    // weights; read back for tests and diagnostics, never on the decode path.
    std::vector<uint32_t> routedExperts(uint32_t layer, uint32_t tokens) const;
    std::vector<float> routedWeights(uint32_t layer, uint32_t tokens) const;

private:
    struct Layer {
        vk::Buffer attnNorm, qNorm, kNorm, postAttnNorm, ffnNorm, postFfwNorm, pleNorm;
        std::optional<vk::kernels::DeviceMatrix> q, k, v, o, gate, up, down, pleGate, pleProj;
        // MoE (26B-A4B): router, experts and the extra norms of gemma4-text.md §3.2.
        vk::Buffer routerScale, expertScale, preFfw2Norm, postFfw1Norm, postFfw2Norm;
        std::optional<vk::kernels::DeviceMatrix> router;
        std::optional<vk::kernels::ExpertMatrices> gateUp, expertDown;
        std::optional<vk::kernels::Routing> routing; // this layer's decisions for the last chunk
    };

    vk::Buffer norm(const std::string& name);
    // The weight, when the kernels can read its storage type; else one sentence.
    const Weight& computable(const std::string& name) const;
    void checkCancelled() const; // throws once the caller cancelled loading
    void uploaded(uint64_t bytes); // counts device bytes in info() and reports progress
    vk::kernels::DeviceMatrix matrix(const std::string& name);
    vk::kernels::ExpertMatrices experts(const std::string& name);
    void recordMoe(uint32_t i, uint32_t n);
    // Runs tokens[0..n) (n <= m_chunk) at positions m_pos.. in one submission; returns the
    // greedy token after the last. allLogits: [n, vocab] appended; lastLogits: the last row.
    // soft: per token of the chunk, its replacement embedding row or null. groupLast: per
    // token, the last position it sees in sliding layers (images on 26B/31B), or null.
    int32_t runChunk(const int32_t* tokens, uint32_t n, std::vector<float>* allLogits, std::vector<float>* lastLogits,
                     const std::vector<const float*>* soft = nullptr, const std::vector<int32_t>* groupLast = nullptr);
    // xnReady: the previous layer left x normed with this layer's attnNorm in m_xn;
    // nextNorm: the norm this layer's output gets for whoever comes next.
    void recordLayer(uint32_t i, uint32_t n, bool xnReady, const vk::Buffer* nextNorm);
    void checkTokens(std::span<const int32_t> tokens) const;
    uint64_t kvCacheBytes(uint32_t context, uint32_t chunk, bool f16) const;
    // Throws a sentence when weights and cache cannot fit in the device's memory.
    void checkFitsOnDevice();
    void prepareMatvecs();
    // Whether the up projection (the PLE gate) takes the GELU product as it stores
    // (recordMatvecGated) rather than in a dispatch of its own.
    bool upTakesGelu(const Layer& l) const;
    bool pleGateTakesGelu(const Layer& l) const;

    std::unique_ptr<WeightSource> m_weights;
    TextConfig m_cfg;
    std::unique_ptr<vk::Context> m_ctx;
    std::unique_ptr<vk::PipelineCache> m_pipelines;
    std::unique_ptr<vk::Recorder> m_rec;
    TextModelInfo m_info;

    // Weights
    std::optional<vk::kernels::DeviceMatrix> m_embedding; // tied LM head [vocab, hidden]
    std::optional<vk::kernels::DeviceMatrix> m_pleModelProj;
    vk::Buffer m_outputNorm, m_pleProjNorm;
    std::vector<Layer> m_layers;
    std::vector<vk::kernels::KvCache> m_kv; // per layer; empty for KV-shared layers

    // Activations, f32. Inputs are host-visible: the token's embedding rows go in there.
    vk::Buffer m_x, m_xn, m_q, m_k, m_v, m_attn, m_o, m_gate, m_up;
    vk::Buffer m_pleTok, m_pleCtx, m_ple, m_pleGate;
    vk::Buffer m_routerIn, m_routerLogits, m_expertIn, m_gateUp, m_expertAct, m_expertOut, m_moeOut; // MoE
    vk::Buffer m_logits, m_argmax;
    vk::Buffer m_softRows, m_softFlags; // soft tokens of this chunk and which rows they replace
    vk::Buffer m_groupLast;             // per token of this chunk, the last position it sees
    bool m_useGroups = false;           // this chunk holds an image whose tokens see each other
    vk::Buffer m_ids, m_identity; // this chunk's token ids; 0, 1, 2, ... for the PLE rows
    std::optional<Sampler> m_sampler;       // set when temperature > 0
    std::vector<int32_t> m_recent;          // the context's last tokens, for the repetition penalty
    vk::Buffer m_recentBuf, m_candidateIds, m_candidateValues, m_scratchIds, m_scratchValues;
    std::optional<vk::kernels::DeviceMatrix> m_pleRows; // the chunk's raw PLE table rows, host-visible
    vk::Buffer m_logitsAll; // [chunk, vocab], made when all rows' logits are first asked for

    uint32_t m_pos = 0;
    uint32_t m_context = 0;
    uint32_t m_chunk = 0; // most tokens one submission carries
    bool m_f16Kv = true;
};

} // namespace facet::model
