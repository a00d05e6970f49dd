// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model/gemma4_text.h"

#include "facet/error.h"
#include "vk/kernels/argmax.h"
#include "vk/kernels/moe.h"
#include "vk/kernels/weight_types.h"
#include "vk/kernels/vision.h"
#include "vk/kernels/elementwise.h"
#include "vk/kernels/gather.h"
#include "vk/kernels/rms_norm.h"

#include <algorithm>
#include <cmath>

namespace facet::model {

using namespace vk;
using namespace vk::kernels;
using vk::kernels::supportedWeightTypes;
using vk::kernels::weightTypeKernels;

namespace {

constexpr uint32_t kDefaultContext = 8192;
// Prefill tokens per submission: enough to reuse each weight load across blocks of 8
// tokens, small enough that activations stay a few MB even for the 31B.
constexpr uint32_t kPrefillChunk = 128;
// Where an image's tokens see each other (26B/31B) the whole image must be in one
// chunk: up to 1120 soft tokens, plus its markers.
constexpr uint32_t kPrefillChunkImages = 1152;

uint32_t defaultChunk(const TextConfig& cfg) { return cfg.imagesBidirectional ? kPrefillChunkImages : kPrefillChunk; }
// Most candidates sampling reads back, and most recent tokens the penalty sees.
constexpr uint32_t kMaxTopK = 256;

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
    m_chunk = std::min(options.prefillChunk ? options.prefillChunk : defaultChunk(m_cfg), m_context);
    m_f16Kv = !options.f32KvCache;

    const TextConfig& c = m_cfg;
    const uint32_t L = static_cast<uint32_t>(c.layers.size());
    m_progress = options.progress;
    m_cancel = options.cancel;
    checkFitsOnDevice();
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
            kv.capacity = lc.sliding ? std::min(c.window + m_chunk - 1, m_context) : m_context;
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
        if (lc.moe) {
            l.router.emplace(matrix(b + "ffn_gate_inp.weight"));
            l.routerScale = norm(b + "ffn_gate_inp.scale");
            l.expertScale = norm(b + "ffn_down_exps.scale");
            l.gateUp.emplace(experts(b + "ffn_gate_up_exps.weight"));
            l.expertDown.emplace(experts(b + "ffn_down_exps.weight"));
            l.preFfw2Norm = norm(b + "pre_ffw_norm_2.weight");
            l.postFfw1Norm = norm(b + "post_ffw_norm_1.weight");
            l.postFfw2Norm = norm(b + "post_ffw_norm_2.weight");
            const uint64_t pairs = uint64_t(m_chunk) * c.expertsPerToken;
            l.routing.emplace(Routing{Buffer(*m_ctx, pairs * 4, MemoryUse::Readback), Buffer(*m_ctx, pairs * 4, MemoryUse::Readback),
                                      Buffer(*m_ctx, uint64_t(c.experts + 1) * 4, MemoryUse::Device),
                                      Buffer(*m_ctx, pairs * 4, MemoryUse::Device)});
            // A decoded token reads the K chosen experts, not all E.
            const uint64_t expertBytes = l.gateUp->data.rowBytes() + l.expertDown->data.rowBytes();
            m_info.weightBytesPerToken -= expertBytes * (c.experts - c.expertsPerToken);
        }
        if (c.pleWidth) {
            l.pleGate.emplace(matrix(b + "inp_gate.weight"));
            l.pleProj.emplace(matrix(b + "proj.weight"));
            l.pleNorm = norm(b + "post_norm.weight");
        }
        maxQ = std::max(maxQ, c.heads * lc.headDim);
        maxKv = std::max(maxKv, lc.kvHeads * lc.headDim);
        maxFfn = std::max(maxFfn, lc.ffn);
    }

    const uint64_t T = m_chunk; // every activation holds a chunk of token rows
    m_x = f32Buffer(*m_ctx, T * c.hidden);
    m_ids = Buffer(*m_ctx, T * 4, MemoryUse::Readback);
    m_identity = Buffer(*m_ctx, T * 4, MemoryUse::Device);
    {
        std::vector<uint32_t> seq(T);
        for (uint32_t t = 0; t < T; ++t)
            seq[t] = t;
        m_identity.uploadValues(std::span<const uint32_t>(seq));
    }
    m_xn = f32Buffer(*m_ctx, T * c.hidden);
    m_o = f32Buffer(*m_ctx, T * c.hidden);
    m_q = f32Buffer(*m_ctx, T * maxQ);
    m_attn = f32Buffer(*m_ctx, T * maxQ);
    m_k = f32Buffer(*m_ctx, T * maxKv);
    m_v = f32Buffer(*m_ctx, T * maxKv);
    m_gate = f32Buffer(*m_ctx, T * maxFfn);
    m_up = f32Buffer(*m_ctx, T * maxFfn);
    if (c.pleWidth) {
        const uint64_t n = T * L * c.pleWidth; // [tokens, layers, P]
        m_pleTok = f32Buffer(*m_ctx, n);
        // The PLE table stays in the mapped file; a chunk's rows go up raw, in the table's
        // type, and are decoded on the device like any weight.
        const Weight& table = computable("per_layer_token_embd.weight");
        const uint64_t rowBytes = table.data.size() / static_cast<uint64_t>(table.rows());
        m_pleRows.emplace(DeviceMatrix{RowChunkedBuffer(*m_ctx, T, rowBytes, MemoryUse::Readback), table.type,
                                       static_cast<uint32_t>(table.ne[0])});
        m_pleCtx = f32Buffer(*m_ctx, n);
        m_ple = f32Buffer(*m_ctx, n);
        m_pleGate = f32Buffer(*m_ctx, T * c.pleWidth);
    }
    if (c.experts) {
        const uint64_t pairs = T * c.expertsPerToken;
        m_routerIn = f32Buffer(*m_ctx, T * c.hidden);
        m_routerLogits = f32Buffer(*m_ctx, T * c.experts);
        m_expertIn = f32Buffer(*m_ctx, T * c.hidden);
        m_gateUp = f32Buffer(*m_ctx, pairs * 2 * c.expertFfn);
        m_expertAct = f32Buffer(*m_ctx, pairs * c.expertFfn);
        m_expertOut = f32Buffer(*m_ctx, pairs * c.hidden);
        m_moeOut = f32Buffer(*m_ctx, T * c.hidden);
    }
    m_logits = f32Buffer(*m_ctx, c.vocab, MemoryUse::Readback);
    m_recentBuf = Buffer(*m_ctx, kMaxTopK * 4, MemoryUse::Readback);
    m_candidateIds = Buffer(*m_ctx, kMaxTopK * 4, MemoryUse::Readback);
    m_candidateValues = Buffer(*m_ctx, kMaxTopK * 4, MemoryUse::Readback);
    m_scratchIds = Buffer(*m_ctx, topKScratchPairs(c.vocab, kMaxTopK) * 4, MemoryUse::Device);
    m_scratchValues = Buffer(*m_ctx, topKScratchPairs(c.vocab, kMaxTopK) * 4, MemoryUse::Device);
    if (const gguf::File* g = m_weights->gguf()) {
        // Defaults the model's publisher recommends, when the file carries them.
        SamplingParams& d = m_info.defaultSampling;
        if (const auto* v = g->find("general.sampling.temp"))
            d.temperature = static_cast<float>(v->toF64("general.sampling.temp"));
        if (const auto* v = g->find("general.sampling.top_k"))
            d.topK = static_cast<uint32_t>(std::clamp<uint64_t>(v->toU64("general.sampling.top_k"), 1, kMaxTopK));
        if (const auto* v = g->find("general.sampling.top_p"))
            d.topP = static_cast<float>(v->toF64("general.sampling.top_p"));
        if (const auto* v = g->find("general.sampling.min_p"))
            d.minP = static_cast<float>(v->toF64("general.sampling.min_p"));
    }
    m_argmax = Buffer(*m_ctx, 16, MemoryUse::Readback);

    m_info.weightBytesPerToken += m_info.weightBytesOnDevice;
    m_info.deviceBytes = m_info.weightBytesOnDevice + m_info.kvCacheBytes + 3 * kMaxTopK * 4;
    for (const Buffer* b : {&m_x, &m_xn, &m_o, &m_q, &m_attn, &m_k, &m_v, &m_gate, &m_up, &m_pleTok, &m_pleCtx, &m_ple,
                            &m_pleGate, &m_logits, &m_argmax, &m_ids, &m_identity, &m_routerIn, &m_routerLogits, &m_expertIn, &m_gateUp,
                            &m_expertAct, &m_expertOut, &m_moeOut})
        m_info.deviceBytes += b->size();
    m_info.fileName = m_weights->displayName();
    m_info.deviceName = m_ctx->gpu().name;
    m_info.deviceReason = m_ctx->report().reason;
    m_info.layers = L;
    m_info.architecture = c.architecture;
    m_info.perLayerEmbeddings = c.pleWidth > 0;
    m_info.hidden = c.hidden;
    m_info.vocab = c.vocab;
    m_info.contextLength = m_context;
    prepareMatvecs();
}

void Gemma4Text::prepareMatvecs()
{
    // The mat-vecs' pipelines compiled now, while the model loads, a thread per core: on a
    // CPU device they took about half a second inside the first prefill (E2B).
    using vk::kernels::matvecPipelines;
    const Context& ctx = *m_ctx;
    std::vector<PipelineKey> keys;
    auto add = [&](const std::optional<DeviceMatrix>& w, std::optional<MatvecGate::Gelu> gelu = std::nullopt) {
        if (!w)
            return;
        for (auto& k : matvecPipelines(ctx, *w, gelu))
            keys.push_back(std::move(k));
    };
    add(m_embedding);
    add(m_pleModelProj);
    for (const Layer& l : m_layers) {
        for (const auto* w : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.down, &l.pleProj, &l.router})
            add(*w);
        add(l.up, l.up && upTakesGelu(l) ? std::optional(MatvecGate::Gelu::Of) : std::nullopt);
        add(l.pleGate, l.pleGate && pleGateTakesGelu(l) ? std::optional(MatvecGate::Gelu::Self) : std::nullopt);
    }
    m_pipelines->prepare(keys);
}

Gemma4Text::~Gemma4Text() = default;

bool Gemma4Text::upTakesGelu(const Layer& l) const { return canGateMatvec(*m_ctx, *l.up) && m_xn.range().texels; }

bool Gemma4Text::pleGateTakesGelu(const Layer& l) const { return canGateMatvec(*m_ctx, *l.pleGate) && m_x.range().texels; }

namespace {
// Sliding layers keep their window plus one prefill chunk; global layers the whole context.
uint64_t kvBytes(const TextConfig& cfg, uint32_t context, uint32_t chunk, bool f16)
{
    uint64_t bytes = 0;
    for (const LayerConfig& lc : cfg.layers) {
        if (!lc.ownsKv)
            continue;
        const uint64_t slots = lc.sliding ? std::min(cfg.window + chunk - 1, context) : context;
        bytes += 2 * slots * lc.kvHeads * lc.headDim * (f16 ? 2 : 4);
    }
    return bytes;
}
} // namespace

uint64_t Gemma4Text::kvCacheBytes(uint32_t context, uint32_t chunk, bool f16) const { return kvBytes(m_cfg, context, chunk, f16); }

void Gemma4Text::checkFitsOnDevice()
{
    // Weights the device holds (the PLE table stays in host memory) plus the cache.
    uint64_t weights = 0;
    for (const auto& [name, w] : m_weights->all()) {
        if (name != "per_layer_token_embd.weight")
            weights += deviceMatrixBytes(*m_ctx, w.type, w.data.size()); // Q6_K is padded on CPU devices
    }
    m_weightsToUpload = weights;
    const uint64_t need = weights + kvCacheBytes(m_context, m_chunk, m_f16Kv);
    const uint64_t have = m_ctx->gpu().memoryBytes;
    if (have && need > have) {
        auto gib = [](uint64_t b) { return std::to_string(b / (1ull << 30)) + "." + std::to_string(b % (1ull << 30) * 10 / (1ull << 30)); };
        throw Error(m_weights->displayName() + " needs " + gib(need) + " GiB on " + m_ctx->gpu().name + " at a context of " +
                    std::to_string(m_context) + " tokens, but the device has " + gib(have) + " GiB; choose a smaller context or model.");
    }
}

Buffer Gemma4Text::norm(const std::string& name)
{
    const auto values = m_weights->require(name).allAsFloat();
    Buffer b(*m_ctx, values.size() * 4, MemoryUse::Device);
    b.uploadValues(std::span<const float>(values));
    m_info.weightBytesOnDevice += b.size();
    return b;
}

const Weight& Gemma4Text::computable(const std::string& name) const
{
    const Weight& w = m_weights->require(name);
    if (!weightTypeKernels(w.type))
        throw Error(m_weights->displayName() + " stores " + name + " as " + std::string(ggmlTypeTraits(w.type).name) +
                    "; Facet computes with " + supportedWeightTypes() + " weights.");
    return w;
}

void Gemma4Text::checkCancelled() const
{
    if (m_cancel && m_cancel->load())
        throw Error("Loading was cancelled.");
}

void Gemma4Text::uploaded(uint64_t bytes)
{
    m_info.weightBytesOnDevice += bytes;
    if (m_progress && m_weightsToUpload)
        m_progress(std::min(1.0f, static_cast<float>(m_info.weightBytesOnDevice) / static_cast<float>(m_weightsToUpload)));
}

DeviceMatrix Gemma4Text::matrix(const std::string& name)
{
    const Weight& w = computable(name);
    checkCancelled();
    DeviceMatrix m = uploadMatrix(*m_ctx, w.data, static_cast<uint64_t>(w.rows()), w.type, static_cast<uint32_t>(w.ne[0]));
    uploaded(m.data.rows() * m.data.rowBytes());
    return m;
}

ExpertMatrices Gemma4Text::experts(const std::string& name)
{
    const Weight& w = computable(name);
    checkCancelled();
    // One buffer "row" per expert, so chunks never split an expert's matrix.
    ExpertMatrices e = uploadExperts(*m_ctx, w.data, static_cast<uint32_t>(w.ne[2]), static_cast<uint32_t>(w.ne[1]), w.type,
                                     static_cast<uint32_t>(w.ne[0]));
    uploaded(e.data.rows() * e.data.rowBytes());
    return e;
}

std::vector<uint32_t> Gemma4Text::routedExperts(uint32_t layer, uint32_t tokens) const
{
    return m_layers.at(layer).routing->ids.downloadValues<uint32_t>(size_t(tokens) * m_cfg.expertsPerToken);
}

std::vector<float> Gemma4Text::routedWeights(uint32_t layer, uint32_t tokens) const
{
    return m_layers.at(layer).routing->weights.downloadValues<float>(size_t(tokens) * m_cfg.expertsPerToken);
}

void Gemma4Text::recordMoe(uint32_t i, uint32_t n)
{
    // Routed experts (gemma4-text.md §3.2, §7) on the post-attention residual x; the
    // result, post-normed, lands in m_moeOut. Routing stays on the device.
    const TextConfig& c = m_cfg;
    Layer& l = m_layers[i];
    auto& pipes = *m_pipelines;
    auto& rec = *m_rec;
    const uint32_t d = c.hidden, K = c.expertsPerToken, I = c.expertFfn;
    recordRmsNormF32(rec, pipes, m_x, nullptr, m_routerIn, n, d, c.eps);
    recordRmsNormF32(rec, pipes, m_x, &l.preFfw2Norm, m_expertIn, n, d, c.eps);
    rec.computeBarrier(); // normed residual -> router scale
    recordMul(rec, pipes, m_routerIn.range(), l.routerScale.range(), m_routerIn.range(), n * d, 1.0f / std::sqrt(float(d)),
              Strided{d, 0, 0});
    rec.computeBarrier(); // router input -> logits
    recordMatvec(rec, pipes, *l.router, m_routerIn.range(), m_routerLogits.range(), n);
    rec.computeBarrier(); // logits -> top-k
    recordMoeRoute(rec, pipes, m_routerLogits, l.expertScale, *l.routing, n, c.experts, K);
    rec.computeBarrier(); // ids -> grouping by expert
    recordMoeGroup(rec, pipes, *l.routing, n, c.experts, K);
    rec.computeBarrier(); // groups -> expert gate/up
    recordMoeMatmul(rec, pipes, *l.gateUp, m_expertIn, *l.routing, m_gateUp, n, K, false);
    rec.computeBarrier(); // gate/up -> GELU product (gate rows first, then up, per pair)
    recordGeluMul(rec, pipes, m_gateUp.range(), m_gateUp.range(), m_expertAct.range(), n * K * I, Strided{I, 2 * I, I},
                  Strided{I, 2 * I, 0});
    rec.computeBarrier(); // product -> expert down
    recordMoeMatmul(rec, pipes, *l.expertDown, m_expertAct, *l.routing, m_expertOut, n, K, true);
    rec.computeBarrier(); // per-pair outputs -> weighted sum
    recordMoeCombine(rec, pipes, m_expertOut, *l.routing, m_moeOut, n, K, d);
    rec.computeBarrier(); // sum -> its post-norm
    recordRmsNormF32(rec, pipes, m_moeOut, &l.postFfw2Norm, m_moeOut, n, d, c.eps);
}

void Gemma4Text::setSampling(const SamplingParams& params)
{
    if (params.temperature < 0 || params.topK < 1 || params.topK > kMaxTopK || params.topP <= 0 || params.topP > 1 ||
        params.minP < 0 || params.minP >= 1 || params.repeatPenalty <= 0 || params.repeatWindow > kMaxTopK)
        throw Error("These sampling settings are impossible: temperature must be at least 0, top-k 1 to " +
                    std::to_string(kMaxTopK) + ", top-p above 0 and at most 1, min-p 0 to below 1, the repeat penalty "
                    "above 0 and its window at most " + std::to_string(kMaxTopK) + " tokens.");
    if (params.temperature == 0)
        m_sampler.reset();
    else
        m_sampler.emplace(params);
}

void Gemma4Text::checkTokens(std::span<const int32_t> tokens) const
{
    for (int32_t token : tokens) {
        if (token < 0 || static_cast<uint32_t>(token) >= m_cfg.vocab)
            throw Error("Token id " + std::to_string(token) + " is outside this model's vocabulary of " + std::to_string(m_cfg.vocab) + ".");
    }
    if (uint64_t(m_pos) + tokens.size() > m_context)
        throw Error("The conversation has filled this session's context of " + std::to_string(m_context) + " tokens.");
}

int32_t Gemma4Text::decode(int32_t token, std::vector<float>* logits)
{
    checkTokens({&token, 1});
    return runChunk(&token, 1, nullptr, logits);
}

int32_t Gemma4Text::prefill(std::span<const int32_t> tokens, std::span<const SoftTokens> soft, std::vector<float>* allLogits)
{
    checkTokens(tokens);
    std::vector<const float*> rows(soft.empty() ? 0 : tokens.size(), nullptr);
    for (const SoftTokens& s : soft) {
        if (uint64_t(s.first) + s.count > tokens.size() || s.rows.size() != size_t(s.count) * m_cfg.hidden)
            throw Error("Soft tokens do not fit the prompt: " + std::to_string(s.count) + " rows at " + std::to_string(s.first) +
                        " in " + std::to_string(tokens.size()) + " tokens, each " + std::to_string(m_cfg.hidden) + " wide.");
        for (uint32_t i = 0; i < s.count; ++i)
            rows[s.first + i] = s.rows.data() + size_t(i) * m_cfg.hidden;
    }
    // Images whose tokens see each other: each must sit whole in one chunk, and each of
    // its tokens sees up to the image's last position.
    std::vector<const SoftTokens*> groups;
    if (m_cfg.imagesBidirectional)
        for (const SoftTokens& s : soft)
            if (s.image && s.count > 0) {
                if (s.count > m_chunk)
                    throw Error("The image has " + std::to_string(s.count) + " soft tokens, more than the " +
                                std::to_string(m_chunk) + " this model takes at once; choose a smaller image budget.");
                groups.push_back(&s);
            }
    if (allLogits)
        allLogits->clear();
    int32_t next = -1;
    for (size_t done = 0; done < tokens.size();) {
        uint32_t n = static_cast<uint32_t>(std::min<size_t>(m_chunk, tokens.size() - done));
        for (const SoftTokens* g : groups)
            if (g->first > done && g->first < done + n && g->first + g->count > done + n)
                n = uint32_t(g->first - done); // end before the image; it starts the next chunk
        std::vector<const float*> chunk;
        if (!rows.empty())
            chunk.assign(rows.begin() + done, rows.begin() + done + n);
        const bool any = std::any_of(chunk.begin(), chunk.end(), [](const float* r) { return r != nullptr; });
        std::vector<int32_t> groupLast;
        for (const SoftTokens* g : groups)
            if (g->first >= done && g->first < done + n) {
                groupLast.resize(n, -1);
                for (uint32_t i = 0; i < g->count; ++i)
                    groupLast[g->first - done + i] = int32_t(m_pos + (g->first - done) + g->count - 1);
            }
        for (uint32_t t = 0; t < groupLast.size(); ++t)
            if (groupLast[t] < 0)
                groupLast[t] = int32_t(m_pos + t);
        next = runChunk(tokens.data() + done, n, allLogits, nullptr, any ? &chunk : nullptr, groupLast.empty() ? nullptr : &groupLast);
        done += n;
    }
    return next;
}

int32_t Gemma4Text::runChunk(const int32_t* tokens, uint32_t n, std::vector<float>* allLogits, std::vector<float>* lastLogits,
                             const std::vector<const float*>* soft, const std::vector<int32_t>* groupLast)
{
    const TextConfig& c = m_cfg;
    auto& pipes = *m_pipelines;
    auto& rec = *m_rec;
    const uint32_t L = static_cast<uint32_t>(c.layers.size());

    for (uint32_t t = 0; t < n; ++t)
        m_recent.push_back(tokens[t]);
    const bool sampling = m_sampler && !allLogits;
    uint32_t recentCount = 0;
    if (sampling) {
        const uint32_t window = m_sampler->params().repeatWindow;
        recentCount = static_cast<uint32_t>(std::min<size_t>(window, m_recent.size()));
        m_recentBuf.upload(std::as_bytes(std::span(m_recent).last(recentCount)));
    }
    if (m_recent.size() > 2 * kMaxTopK)
        m_recent.erase(m_recent.begin(), m_recent.end() - kMaxTopK);

    // Embedding rows are looked up on the device: the main table is there anyway (it is
    // the tied LM head); the PLE table's rows for these tokens are copied up raw.
    // Soft-token positions read the pad token (0) for their per-layer embedding, and
    // their embedding rows come from the image or audio encoder.
    std::vector<int32_t> ids(tokens, tokens + n);
    if (soft) {
        std::vector<int32_t> flags(n, 0);
        std::vector<float> rows(size_t(n) * c.hidden, 0.0f);
        for (uint32_t t = 0; t < n; ++t) {
            if (const float* r = (*soft)[t]) {
                flags[t] = 1;
                ids[t] = 0;
                std::copy(r, r + c.hidden, rows.begin() + size_t(t) * c.hidden);
            }
        }
        if (m_softRows.size() == 0) {
            m_softRows = f32Buffer(*m_ctx, uint64_t(m_chunk) * c.hidden);
            m_softFlags = Buffer(*m_ctx, uint64_t(m_chunk) * 4, MemoryUse::Device);
        }
        m_softRows.uploadValues(std::span<const float>(rows));
        m_softFlags.uploadValues(std::span<const int32_t>(flags));
    }
    m_useGroups = groupLast != nullptr;
    if (groupLast) {
        if (m_groupLast.size() == 0)
            m_groupLast = Buffer(*m_ctx, uint64_t(m_chunk) * 4, MemoryUse::Device);
        m_groupLast.uploadValues(std::span<const int32_t>(*groupLast));
    }
    m_ids.upload(std::as_bytes(std::span(ids)));
    if (c.pleWidth) {
        const Weight& ple = m_weights->require("per_layer_token_embd.weight");
        const uint64_t rowBytes = m_pleRows->data.rowBytes();
        for (uint32_t t = 0; t < n; ++t)
            m_pleRows->data.uploadRow(t, ple.data.subspan(uint64_t(ids[t]) * rowBytes, rowBytes));
    }

    rec.begin();
    recordGather(rec, pipes, *m_embedding, m_ids, m_x, n, c.embedScale);
    if (c.pleWidth)
        recordGather(rec, pipes, *m_pleRows, m_identity, m_pleTok, n, c.pleScale);
    if (soft) {
        rec.computeBarrier(); // token embeddings -> soft tokens over them (not scaled)
        recordSelectRows(rec, pipes, m_x, m_softRows, m_softFlags, n, c.hidden);
    }
    rec.computeBarrier(); // embeddings -> PLE projection and layer 0
    if (c.pleWidth) {
        const uint32_t perToken = L * c.pleWidth;
        recordMatvec(rec, pipes, *m_pleModelProj, m_x.range(), m_pleCtx.range(), n, 1.0f / std::sqrt(float(c.hidden)));
        rec.computeBarrier(); // context projection -> its per-layer norm
        recordRmsNormF32(rec, pipes, m_pleCtx, &m_pleProjNorm, m_pleCtx, n * L, c.pleWidth, c.eps);
        rec.computeBarrier(); // normed context -> combine with the table rows
        recordAddScale(rec, pipes, m_pleCtx.range(), m_pleTok.range(), m_ple.range(), n * perToken, 1.0f / std::sqrt(2.0f));
        rec.computeBarrier(); // PLE inputs -> every layer
    }
    // Each layer ends by norming x for the next one (the last: the output norm).
    for (uint32_t i = 0; i < L; ++i)
        recordLayer(i, n, i > 0, i + 1 < L ? &m_layers[i + 1].attnNorm : &m_outputNorm);
    if (L == 0) {
        recordRmsNormF32(rec, pipes, m_x, &m_outputNorm, m_xn, n, c.hidden, c.eps);
        rec.computeBarrier(); // final norm -> LM head
    }
    const Buffer* logits = &m_logits;
    uint32_t lastRow = 0;
    if (allLogits) {
        if (m_logitsAll.size() == 0)
            m_logitsAll = f32Buffer(*m_ctx, uint64_t(m_chunk) * c.vocab, MemoryUse::Readback);
        logits = &m_logitsAll;
        lastRow = n - 1;
        recordMatvec(rec, pipes, *m_embedding, m_xn.range(), m_logitsAll.range(), n);
    } else {
        // Only the last token's next-token logits are needed.
        recordMatvec(rec, pipes, *m_embedding, m_xn.range(), m_logits.range(), 1, 1.0f, n - 1);
    }
    const uint32_t rows = allLogits ? n : 1;
    rec.computeBarrier(); // logits -> soft-cap
    if (c.finalSoftcap > 0) {
        recordSoftcap(rec, pipes, logits->range(), logits->range(), rows * c.vocab, c.finalSoftcap);
        rec.computeBarrier(); // capped logits -> argmax
    }
    if (sampling)
        recordTopK(rec, pipes, *logits, m_recentBuf, recentCount, m_sampler->params().repeatPenalty, m_scratchIds,
                   m_scratchValues, m_candidateIds, m_candidateValues, c.vocab, std::min(m_sampler->params().topK, c.vocab));
    else
        recordArgmax(rec, pipes, *logits, m_argmax, c.vocab, lastRow * c.vocab);
    rec.submitAndWait();
    m_pos += n;
    if (allLogits) {
        const auto values = m_logitsAll.downloadValues<float>(size_t(n) * c.vocab);
        allLogits->insert(allLogits->end(), values.begin(), values.end());
    }
    if (lastLogits)
        *lastLogits = m_logits.downloadValues<float>(c.vocab);
    if (sampling) {
        const uint32_t k = m_sampler->params().topK;
        const auto candidateIds = m_candidateIds.downloadValues<uint32_t>(k);
        const auto values = m_candidateValues.downloadValues<float>(k);
        std::vector<facet::Candidate> candidates(k);
        for (uint32_t i = 0; i < k; ++i)
            candidates[i] = {static_cast<int32_t>(candidateIds[i]), values[i]};
        return m_sampler->pick(candidates);
    }
    return static_cast<int32_t>(m_argmax.downloadValues<uint32_t>(1)[0]);
}

void Gemma4Text::recordLayer(uint32_t i, uint32_t n, bool xnReady, const vk::Buffer* nextNorm)
{
    const TextConfig& c = m_cfg;
    const LayerConfig& lc = c.layers[i];
    Layer& l = m_layers[i];
    auto& pipes = *m_pipelines;
    auto& rec = *m_rec;
    const uint32_t hd = lc.headDim;
    const uint32_t hidden = c.hidden;

    // Attention (gemma4-text.md §4): norm -> q/k/v -> per-head norms -> RoPE -> cache.
    if (!xnReady) { // else the previous layer's last dispatch normed x with attnNorm
        recordRmsNormF32(rec, pipes, m_x, &l.attnNorm, m_xn, n, hidden, c.eps);
        rec.computeBarrier(); // normed input -> projections
    }
    recordMatvec(rec, pipes, *l.q, m_xn.range(), m_q.range(), n);
    if (lc.ownsKv) {
        recordMatvec(rec, pipes, *l.k, m_xn.range(), m_k.range(), n);
        if (lc.hasV)
            recordMatvec(rec, pipes, *l.v, m_xn.range(), m_v.range(), n);
    }
    rec.computeBarrier(); // projections -> per-head norms and RoPE (and K, V into the cache)
    if (lc.ownsKv) {
        // K=V: V is the raw K projection, normed without weight.
        const AttentionInputs in{m_q, l.qNorm, m_k, l.kNorm, lc.hasV ? m_v : m_k, !lc.hasV || c.vNorm};
        recordAttentionInputs(rec, pipes, in, m_kv[i], c.eps, n, c.heads, lc.kvHeads, hd, lc.rotPairs, m_pos, lc.ropeTheta,
                              lc.ropePositionScale);
    } else {
        recordNormRope(rec, pipes, m_q, &l.qNorm, c.eps, n, c.heads, hd, lc.rotPairs, m_pos, lc.ropeTheta, lc.ropePositionScale);
    }
    rec.computeBarrier(); // Q rotated, the cache written -> attention
    // Sliding layers see the last `window` positions, each query's own included.
    // An image's tokens also see each other's later positions, in sliding layers only.
    recordAttention(rec, pipes, m_q, m_kv[lc.kvSource], m_attn, n, c.heads, lc.kvHeads, hd, m_pos,
                    lc.sliding ? c.window : 0, c.attnScale, lc.sliding && m_useGroups ? &m_groupLast : nullptr);
    rec.computeBarrier(); // attention -> output projection
    recordMatvec(rec, pipes, *l.o, m_attn.range(), m_o.range(), n);
    rec.computeBarrier(); // projection -> post-attention norm, residual, FFN norm
    recordResidualNorm(rec, pipes, m_x, m_o, l.postAttnNorm, 1.0f, &l.ffnNorm, m_xn, n, hidden, c.eps);
    rec.computeBarrier(); // normed -> gate and up

    // Gated GELU MLP with sandwich norms (§3.1).
    recordMatvec(rec, pipes, *l.gate, m_xn.range(), m_gate.range(), n);
    if (upTakesGelu(l)) {
        // The up projection takes the GELU product as it stores (one dispatch fewer).
        rec.computeBarrier(); // gate -> up
        recordMatvecGated(rec, pipes, *l.up, m_xn.range(), m_up.range(), {MatvecGate::Gelu::Of, m_gate.range(), lc.ffn}, n);
        rec.computeBarrier(); // product -> down projection
        recordMatvec(rec, pipes, *l.down, m_up.range(), m_o.range(), n);
    } else {
        recordMatvec(rec, pipes, *l.up, m_xn.range(), m_up.range(), n);
        rec.computeBarrier(); // gate, up -> GELU product
        recordGeluMul(rec, pipes, m_gate.range(), m_up.range(), m_gate.range(), n * lc.ffn);
        rec.computeBarrier(); // product -> down projection
        recordMatvec(rec, pipes, *l.down, m_gate.range(), m_o.range(), n);
    }
    rec.computeBarrier(); // down -> post-FFN norm
    if (lc.moe) {
        // Dense branch and routed experts, each post-normed, summed, post-normed again.
        recordRmsNormF32(rec, pipes, m_o, &l.postFfw1Norm, m_o, n, hidden, c.eps);
        recordMoe(i, n);
        rec.computeBarrier(); // both branches -> their sum
        recordAddScale(rec, pipes, m_o.range(), m_moeOut.range(), m_o.range(), n * hidden);
        rec.computeBarrier(); // sum -> its post-norm
    }
    if (!c.pleWidth) {
        // Post-FFN norm, residual and layer scalar, then the next pre-norm.
        recordResidualNorm(rec, pipes, m_x, m_o, l.postFfwNorm, lc.outputScale, nextNorm, m_xn, n, hidden, c.eps);
        rec.computeBarrier(); // layer output -> next layer
        return;
    }
    // Per-layer embedding injection (§6), after the FFN residual, before the scalar.
    recordResidualNorm(rec, pipes, m_x, m_o, l.postFfwNorm, 1.0f, nullptr, m_xn, n, hidden, c.eps);
    rec.computeBarrier(); // residual -> PLE gate
    const uint32_t P = c.pleWidth;
    const uint32_t L = static_cast<uint32_t>(c.layers.size());
    if (pleGateTakesGelu(l)) {
        // GELU of the gate times this layer's PLE vectors ([tokens, layers, P] slice) as it stores.
        recordMatvecGated(rec, pipes, *l.pleGate, m_x.range(), m_pleGate.range(),
                          {MatvecGate::Gelu::Self, m_ple.range(), L * P, i * P}, n);
    } else {
        recordMatvec(rec, pipes, *l.pleGate, m_x.range(), m_pleGate.range(), n);
        rec.computeBarrier(); // gate -> GELU times this layer's PLE vectors ([tokens, layers, P] slice)
        recordGeluMul(rec, pipes, m_pleGate.range(), m_ple.range(), m_pleGate.range(), n * P, Strided{P, L * P, i * P});
    }
    rec.computeBarrier(); // -> projection back to hidden
    recordMatvec(rec, pipes, *l.pleProj, m_pleGate.range(), m_o.range(), n);
    rec.computeBarrier(); // -> its norm, residual and layer scalar, then the next pre-norm
    recordResidualNorm(rec, pipes, m_x, m_o, l.pleNorm, lc.outputScale, nextNorm, m_xn, n, hidden, c.eps);
    rec.computeBarrier(); // layer output -> next layer
}

} // namespace facet::model

namespace facet {

MemoryEstimate estimateMemory(const std::filesystem::path& path, uint32_t contextLength, bool f16KvCache)
{
    const auto weights = model::WeightSource::open(path);
    const model::TextConfig cfg = model::TextConfig::fromWeights(*weights);
    MemoryEstimate e;
    e.contextLength = contextLength ? std::min(contextLength, cfg.contextLength) : std::min(model::kDefaultContext, cfg.contextLength);
    for (const auto& [name, w] : weights->all())
        (name == "per_layer_token_embd.weight" ? e.hostBytes : e.deviceWeightBytes) += w.data.size();
    e.kvCacheBytes = model::kvBytes(cfg, e.contextLength, std::min(model::defaultChunk(cfg), e.contextLength), f16KvCache);
    return e;
}

std::unique_ptr<TextModel> TextModel::open(const std::filesystem::path& path, const TextModelOptions& options)
{
    auto model = std::make_unique<model::Gemma4Text>(model::WeightSource::open(path), options);
    model->setPath(path);
    return model;
}

} // namespace facet
