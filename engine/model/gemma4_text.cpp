// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model/gemma4_text.h"

#include "facet/error.h"
#include "vk/kernels/argmax.h"
#include "vk/kernels/elementwise.h"
#include "vk/kernels/rms_norm.h"

#include <algorithm>
#include <cmath>

namespace facet::model {

using namespace vk;
using namespace vk::kernels;

namespace {

constexpr uint32_t kDefaultContext = 8192;

Buffer f32Buffer(Context& ctx, uint64_t floats, MemoryUse use = MemoryUse::Device)
{
    return Buffer(ctx, std::max<uint64_t>(floats, 1) * 4, use);
}

} // namespace

Gemma4Text::Gemma4Text(std::unique_ptr<WeightSource> weights, const TextModelOptions& options)
    : m_weights(std::move(weights)), m_cfg(TextConfig::fromWeights(*m_weights))
{
    m_ctx = std::make_unique<Context>(ContextOptions{options.device, options.validation});
    m_pipelines = std::make_unique<PipelineCache>(*m_ctx);
    m_rec = std::make_unique<Recorder>(*m_ctx);
    m_context = options.contextLength ? std::min(options.contextLength, m_cfg.contextLength)
                                      : std::min(kDefaultContext, m_cfg.contextLength);

    const TextConfig& c = m_cfg;
    const uint32_t L = static_cast<uint32_t>(c.layers.size());
    m_embedding.emplace(matrix("token_embd.weight"));
    m_outputNorm = norm("output_norm.weight");
    if (c.pleWidth) {
        m_pleModelProj.emplace(matrix("per_layer_model_proj.weight"));
        m_pleProjNorm = norm("per_layer_proj_norm.weight");
    }
    uint32_t maxQ = 0, maxKv = 0, maxFfn = 0;
    m_layers.resize(L);
    m_kv.resize(L);
    for (uint32_t i = 0; i < L; ++i) {
        const LayerConfig& lc = c.layers[i];
        Layer& l = m_layers[i];
        const std::string b = "blk." + std::to_string(i) + ".";
        l.attnNorm = norm(b + "attn_norm.weight");
        l.qNorm = norm(b + "attn_q_norm.weight");
        l.q.emplace(matrix(b + "attn_q.weight"));
        l.o.emplace(matrix(b + "attn_output.weight"));
        if (lc.ownsKv) {
            l.kNorm = norm(b + "attn_k_norm.weight");
            l.k.emplace(matrix(b + "attn_k.weight"));
            if (lc.hasV)
                l.v.emplace(matrix(b + "attn_v.weight"));
            KvCache& kv = m_kv[i];
            kv.capacity = lc.sliding ? std::min(c.window, m_context) : m_context;
            kv.width = lc.kvHeads * lc.headDim;
            kv.f16 = !options.f32KvCache;
            const uint64_t bytes = uint64_t(kv.capacity) * kv.width * (kv.f16 ? 2 : 4);
            kv.k = Buffer(*m_ctx, bytes, MemoryUse::Device);
            kv.v = Buffer(*m_ctx, bytes, MemoryUse::Device);
            m_info.kvCacheBytes += 2 * bytes;
        }
        l.postAttnNorm = norm(b + "post_attention_norm.weight");
        l.ffnNorm = norm(b + "ffn_norm.weight");
        l.gate.emplace(matrix(b + "ffn_gate.weight"));
        l.up.emplace(matrix(b + "ffn_up.weight"));
        l.down.emplace(matrix(b + "ffn_down.weight"));
        l.postFfwNorm = norm(b + "post_ffw_norm.weight");
        if (c.pleWidth) {
            l.pleGate.emplace(matrix(b + "inp_gate.weight"));
            l.pleProj.emplace(matrix(b + "proj.weight"));
            l.pleNorm = norm(b + "post_norm.weight");
        }
        maxQ = std::max(maxQ, c.heads * lc.headDim);
        maxKv = std::max(maxKv, lc.kvHeads * lc.headDim);
        maxFfn = std::max(maxFfn, lc.ffn);
    }

    m_x = f32Buffer(*m_ctx, c.hidden, MemoryUse::Readback);
    m_xn = f32Buffer(*m_ctx, c.hidden);
    m_o = f32Buffer(*m_ctx, c.hidden);
    m_q = f32Buffer(*m_ctx, maxQ);
    m_attn = f32Buffer(*m_ctx, maxQ);
    m_k = f32Buffer(*m_ctx, maxKv);
    m_v = f32Buffer(*m_ctx, maxKv);
    m_gate = f32Buffer(*m_ctx, maxFfn);
    m_up = f32Buffer(*m_ctx, maxFfn);
    if (c.pleWidth) {
        const uint64_t n = uint64_t(L) * c.pleWidth;
        m_pleTok = f32Buffer(*m_ctx, n, MemoryUse::Readback);
        m_pleCtx = f32Buffer(*m_ctx, n);
        m_ple = f32Buffer(*m_ctx, n);
        m_pleGate = f32Buffer(*m_ctx, c.pleWidth);
    }
    m_logits = f32Buffer(*m_ctx, c.vocab, MemoryUse::Readback);
    m_argmax = Buffer(*m_ctx, 16, MemoryUse::Readback);

    m_info.deviceBytes = m_info.weightBytesOnDevice + m_info.kvCacheBytes;
    for (const Buffer* b : {&m_x, &m_xn, &m_o, &m_q, &m_attn, &m_k, &m_v, &m_gate, &m_up, &m_pleTok, &m_pleCtx, &m_ple,
                            &m_pleGate, &m_logits, &m_argmax})
        m_info.deviceBytes += b->size();
    m_info.fileName = m_weights->displayName();
    m_info.deviceName = m_ctx->gpu().name;
    m_info.deviceReason = m_ctx->report().reason;
    m_info.layers = L;
    m_info.hidden = c.hidden;
    m_info.vocab = c.vocab;
    m_info.contextLength = m_context;
}

Gemma4Text::~Gemma4Text() = default;

Buffer Gemma4Text::norm(const std::string& name)
{
    const auto values = m_weights->require(name).allAsFloat();
    Buffer b(*m_ctx, values.size() * 4, MemoryUse::Device);
    b.uploadValues(std::span<const float>(values));
    m_info.weightBytesOnDevice += b.size();
    return b;
}

DeviceMatrix Gemma4Text::matrix(const std::string& name)
{
    const Weight& w = m_weights->require(name);
    if (!matvecSupports(w.type))
        throw Error(m_weights->displayName() + " stores " + name + " as " + std::string(ggmlTypeTraits(w.type).name) +
                    "; this version of Facet computes with F32, F16 and BF16 weights only.");
    const uint64_t rows = static_cast<uint64_t>(w.rows());
    DeviceMatrix m{RowChunkedBuffer(*m_ctx, rows, w.data.size() / rows, MemoryUse::Device), w.type,
                   static_cast<uint32_t>(w.ne[0])};
    m.data.upload(w.data);
    m_info.weightBytesOnDevice += w.data.size();
    return m;
}

void Gemma4Text::checkToken(int32_t token) const
{
    if (token < 0 || static_cast<uint32_t>(token) >= m_cfg.vocab)
        throw Error("Token id " + std::to_string(token) + " is outside this model's vocabulary of " + std::to_string(m_cfg.vocab) + ".");
    if (m_pos >= m_context)
        throw Error("The conversation has filled this session's context of " + std::to_string(m_context) + " tokens.");
}

int32_t Gemma4Text::decode(int32_t token, std::vector<float>* logits)
{
    checkToken(token);
    const TextConfig& c = m_cfg;
    auto& pipes = *m_pipelines;
    auto& rec = *m_rec;

    // The token's embedding rows are gathered on the host from the mapped file: the
    // tables never need to live on the device for lookups (the main one is there anyway
    // as the tied LM head; the PLE table never is).
    auto emb = m_weights->require("token_embd.weight").rowAsFloat(token);
    for (auto& v : emb)
        v *= c.embedScale;
    m_x.uploadValues(std::span<const float>(emb));
    if (c.pleWidth) {
        const Weight& table = m_weights->require("per_layer_token_embd.weight");
        auto tok = table.rowAsFloat(token);
        for (auto& v : tok)
            v *= c.pleScale;
        m_pleTok.uploadValues(std::span<const float>(tok));
    }

    rec.begin();
    if (c.pleWidth) {
        const uint32_t n = static_cast<uint32_t>(c.layers.size()) * c.pleWidth;
        recordMatvec(rec, pipes, *m_pleModelProj, m_x, m_pleCtx, 1.0f / std::sqrt(float(c.hidden)));
        rec.computeBarrier(); // context projection -> its per-layer norm
        recordRmsNormF32(rec, pipes, m_pleCtx, &m_pleProjNorm, m_pleCtx, static_cast<uint32_t>(c.layers.size()), c.pleWidth, c.eps);
        rec.computeBarrier(); // normed context -> combine with the table rows
        recordAddScale(rec, pipes, m_pleCtx.range(), m_pleTok.range(), m_ple.range(), n, 1.0f / std::sqrt(2.0f));
        rec.computeBarrier(); // PLE inputs -> every layer
    }
    for (uint32_t i = 0; i < c.layers.size(); ++i)
        recordLayer(i);
    recordRmsNormF32(rec, pipes, m_x, &m_outputNorm, m_xn, 1, c.hidden, c.eps);
    rec.computeBarrier(); // final norm -> LM head
    recordMatvec(rec, pipes, *m_embedding, m_xn, m_logits);
    rec.computeBarrier(); // logits -> soft-cap
    if (c.finalSoftcap > 0) {
        recordSoftcap(rec, pipes, m_logits.range(), m_logits.range(), c.vocab, c.finalSoftcap);
        rec.computeBarrier(); // capped logits -> argmax
    }
    recordArgmax(rec, pipes, m_logits, m_argmax, c.vocab);
    rec.submitAndWait();
    ++m_pos;
    if (logits)
        *logits = m_logits.downloadValues<float>(c.vocab);
    return static_cast<int32_t>(m_argmax.downloadValues<uint32_t>(1)[0]);
}

int32_t Gemma4Text::prefill(std::span<const int32_t> tokens, std::vector<float>* allLogits)
{
    // One token per submission for now: correct and simple, not yet the batched mat-mul
    // prefill (issue 3 keeps that open).
    if (allLogits)
        allLogits->clear();
    int32_t next = -1;
    std::vector<float> row;
    for (int32_t t : tokens) {
        next = decode(t, allLogits ? &row : nullptr);
        if (allLogits)
            allLogits->insert(allLogits->end(), row.begin(), row.end());
    }
    return next;
}

void Gemma4Text::recordLayer(uint32_t i)
{
    const TextConfig& c = m_cfg;
    const LayerConfig& lc = c.layers[i];
    Layer& l = m_layers[i];
    auto& pipes = *m_pipelines;
    auto& rec = *m_rec;
    const uint32_t hd = lc.headDim;
    const uint32_t hidden = c.hidden;

    // Attention (gemma4-text.md §4): norm -> q/k/v -> per-head norms -> RoPE -> cache.
    recordRmsNormF32(rec, pipes, m_x, &l.attnNorm, m_xn, 1, hidden, c.eps);
    rec.computeBarrier(); // normed input -> projections
    recordMatvec(rec, pipes, *l.q, m_xn, m_q);
    if (lc.ownsKv) {
        recordMatvec(rec, pipes, *l.k, m_xn, m_k);
        if (lc.hasV)
            recordMatvec(rec, pipes, *l.v, m_xn, m_v);
    }
    rec.computeBarrier(); // projections -> norms
    recordRmsNormF32(rec, pipes, m_q, &l.qNorm, m_q, c.heads, hd, c.eps);
    if (lc.ownsKv) {
        if (lc.hasV) {
            recordRmsNormF32(rec, pipes, m_v, nullptr, m_v, lc.kvHeads, hd, c.eps);
        } else {
            // K=V: V is the raw K projection, normed without weight, before K's own norm.
            recordRmsNormF32(rec, pipes, m_k, nullptr, m_v, lc.kvHeads, hd, c.eps);
            rec.computeBarrier(); // V read raw K -> K normed in place
        }
        recordRmsNormF32(rec, pipes, m_k, &l.kNorm, m_k, lc.kvHeads, hd, c.eps);
    }
    rec.computeBarrier(); // norms -> RoPE
    recordRope(rec, pipes, m_q, c.heads, hd, lc.rotPairs, m_pos, lc.ropeTheta);
    if (lc.ownsKv)
        recordRope(rec, pipes, m_k, lc.kvHeads, hd, lc.rotPairs, m_pos, lc.ropeTheta);
    rec.computeBarrier(); // rotated K, V -> cache
    if (lc.ownsKv) {
        recordKvStore(rec, pipes, m_k, m_v, m_kv[i], m_pos);
        rec.computeBarrier(); // cache write -> attention read
    }
    // Sliding layers see the last `window` positions, the query's own included.
    const uint32_t first = lc.sliding && m_pos + 1 > c.window ? m_pos + 1 - c.window : 0;
    recordAttention(rec, pipes, m_q, m_kv[lc.kvSource], m_attn, c.heads, lc.kvHeads, hd, first, m_pos, 1.0f);
    rec.computeBarrier(); // attention -> output projection
    recordMatvec(rec, pipes, *l.o, m_attn, m_o);
    rec.computeBarrier(); // projection -> post-attention norm
    recordRmsNormF32(rec, pipes, m_o, &l.postAttnNorm, m_o, 1, hidden, c.eps);
    rec.computeBarrier(); // branch -> residual
    recordAddScale(rec, pipes, m_x.range(), m_o.range(), m_x.range(), hidden);
    rec.computeBarrier(); // residual -> FFN norm

    // Gated GELU MLP with sandwich norms (§3.1).
    recordRmsNormF32(rec, pipes, m_x, &l.ffnNorm, m_xn, 1, hidden, c.eps);
    rec.computeBarrier(); // normed -> gate and up
    recordMatvec(rec, pipes, *l.gate, m_xn, m_gate);
    recordMatvec(rec, pipes, *l.up, m_xn, m_up);
    rec.computeBarrier(); // gate, up -> GELU product
    recordGeluMul(rec, pipes, m_gate.range(), m_up.range(), m_gate.range(), lc.ffn);
    rec.computeBarrier(); // product -> down projection
    recordMatvec(rec, pipes, *l.down, m_gate, m_o);
    rec.computeBarrier(); // down -> post-FFN norm
    recordRmsNormF32(rec, pipes, m_o, &l.postFfwNorm, m_o, 1, hidden, c.eps);
    rec.computeBarrier(); // branch -> residual

    if (c.pleWidth) {
        // Per-layer embedding injection (§6), after the FFN residual, before the scalar.
        recordAddScale(rec, pipes, m_x.range(), m_o.range(), m_x.range(), hidden);
        rec.computeBarrier(); // residual -> PLE gate
        recordMatvec(rec, pipes, *l.pleGate, m_x, m_pleGate);
        rec.computeBarrier(); // gate -> GELU times this layer's PLE vector
        const uint64_t P = c.pleWidth;
        recordGeluMul(rec, pipes, m_pleGate.range(), m_ple.range(i * P * 4, P * 4), m_pleGate.range(), c.pleWidth);
        rec.computeBarrier(); // -> projection back to hidden
        recordMatvec(rec, pipes, *l.pleProj, m_pleGate, m_o);
        rec.computeBarrier(); // -> its norm
        recordRmsNormF32(rec, pipes, m_o, &l.pleNorm, m_o, 1, hidden, c.eps);
        rec.computeBarrier(); // -> residual and layer scalar
    }
    recordAddScale(rec, pipes, m_x.range(), m_o.range(), m_x.range(), hidden, lc.outputScale);
    rec.computeBarrier(); // layer output -> next layer
}

} // namespace facet::model

namespace facet {

std::unique_ptr<TextModel> TextModel::open(const std::filesystem::path& path, const TextModelOptions& options)
{
    return std::make_unique<model::Gemma4Text>(model::WeightSource::open(path), options);
}

} // namespace facet
