// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/vision_encoder.h"

#include "facet/error.h"
#include "model/clipped_linear.h"
#include "model/weight_source.h"
#include "util/json.h"
#include "vk/context.h"
#include "vk/kernels/attention.h"
#include "vk/kernels/elementwise.h"
#include "vk/kernels/matvec.h"
#include "vk/kernels/rms_norm.h"
#include "vk/kernels/vision.h"
#include "vk/kernels/weight_types.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <optional>

namespace facet {
namespace {

using namespace vk;
using namespace vk::kernels;
using model::Weight;
using model::WeightSource;

// pooling_kernel_size from a Hugging Face folder's config.json (vision_config), 3 when absent.
uint32_t hfVisionPooling(const WeightSource& w)
{
    const std::string* text = w.hfConfigJson();
    if (!text)
        return 3;
    const json::Value config = json::parse(*text, "config.json");
    const json::Value* vision = config.find("vision_config");
    const json::Value* k = vision ? vision->find("pooling_kernel_size") : nullptr;
    return k && k->integer() ? uint32_t(*k->integer()) : 3;
}

using Linear = model::ClippedLinear;

struct Layer {
    Buffer ln1, postAttn, ln2, postFfw, qNorm, kNorm;
    Linear q, k, v, o, gate, up, down;
};

class VulkanVisionEncoder final : public VisionEncoder {
public:
    VulkanVisionEncoder(std::unique_ptr<WeightSource> weights, const std::string& device)
        : m_w(std::move(weights))
    {
        const gguf::File* f = m_w->gguf();
        const std::string name = m_w->displayName();
        m_info.fileName = name;
        if (f) {
            const gguf::Value* has = f->find("clip.has_vision_encoder");
            if (!has || !has->toBool("clip.has_vision_encoder"))
                throw Error(name + " has no vision encoder.");
            const auto u32 = [&](const char* key) { return static_cast<uint32_t>(f->require(key).toU64(key)); };
            m_info.hidden = u32("clip.vision.embedding_length");
            m_info.layers = u32("clip.vision.block_count");
            m_info.heads = u32("clip.vision.attention.head_count");
            m_info.intermediate = u32("clip.vision.feed_forward_length");
            m_info.textHidden = u32("clip.vision.projection_dim");
            if (const gguf::Value* e = f->find("clip.vision.attention.layer_norm_epsilon"))
                m_eps = static_cast<float>(e->toF64("clip.vision.attention.layer_norm_epsilon"));
            if (const gguf::Value* k = f->find("clip.vision.projector.scale_factor"))
                m_pool = static_cast<uint32_t>(k->toU64("clip.vision.projector.scale_factor"));
        } else {
            // A Hugging Face folder: the sizes follow from the tensors' shapes.
            const Weight* q = m_w->find("v.blk.0.attn_q.weight");
            if (!q)
                throw Error(name + " has no vision encoder.");
            m_info.hidden = uint32_t(q->ne[0]);
            while (m_w->find("v.blk." + std::to_string(m_info.layers) + ".attn_q.weight"))
                ++m_info.layers;
            const uint32_t headDim = uint32_t(m_w->require("v.blk.0.attn_q_norm.weight").ne[0]);
            m_info.heads = headDim ? m_info.hidden / headDim : 0;
            m_info.intermediate = uint32_t(m_w->require("v.blk.0.ffn_up.weight").rows());
            m_info.textHidden = uint32_t(m_w->require("mm.input_projection.weight").rows());
            m_pool = hfVisionPooling(*m_w);
        }
        if (m_info.heads == 0 || m_info.hidden % m_info.heads || (m_info.hidden / m_info.heads) % 4)
            throw Error(name + " has a vision head size Facet cannot rotate (hidden " + std::to_string(m_info.hidden) + ", " +
                        std::to_string(m_info.heads) + " heads).");
        m_info.standardize = m_w->find("v.std_bias") != nullptr;
        m_info.clippedLinears = m_w->find("v.blk.0.attn_q.input_min") != nullptr;

        m_ctx = std::make_unique<Context>(ContextOptions{device, false});
        m_pipelines = std::make_unique<PipelineCache>(*m_ctx);
        m_rec = std::make_unique<Recorder>(*m_ctx);
        m_info.deviceName = m_ctx->gpu().name;

        const uint32_t d = m_info.hidden;
        // llama.cpp stores the patch projection as a convolution over (c, y, x); the
        // patches arrive as (y, x, c), so the columns are put in that order here. A
        // Hugging Face folder has it as a linear over (y, x, c) already.
        std::vector<float> patch(size_t(d) * 768);
        if (f) {
            const auto convValues = m_w->require("v.patch_embd.weight", {16, 16, 3, int64_t(d)}).allAsFloat();
            for (uint32_t o = 0; o < d; ++o)
                for (uint32_t c = 0; c < 3; ++c)
                    for (uint32_t y = 0; y < 16; ++y)
                        for (uint32_t x = 0; x < 16; ++x)
                            patch[size_t(o) * 768 + (y * 16 + x) * 3 + c] = convValues[((size_t(o) * 3 + c) * 16 + y) * 16 + x];
        } else {
            patch = m_w->require("v.patch_embd.weight", {768, int64_t(d)}).allAsFloat();
        }
        RowChunkedBuffer pb(*m_ctx, d, 768 * 4, MemoryUse::Device);
        pb.upload(std::as_bytes(std::span<const float>(patch)));
        m_patch.emplace(DeviceMatrix{std::move(pb), GgmlType::F32, 768});

        const Weight& table = m_w->require("v.position_embd.weight");
        if (table.ne[0] != d || table.ne[2] != 2)
            throw Error(name + " has a position table of an unexpected shape.");
        m_axisRows = uint32_t(table.ne[1]);
        m_posTable = floats(table);

        for (uint32_t i = 0; i < m_info.layers; ++i) {
            const std::string b = "v.blk." + std::to_string(i) + ".";
            Layer l;
            l.ln1 = floats(m_w->require(b + "ln1.weight"));
            l.postAttn = floats(m_w->require(b + "attn_post_norm.weight"));
            l.ln2 = floats(m_w->require(b + "ln2.weight"));
            l.postFfw = floats(m_w->require(b + "ffn_post_norm.weight"));
            l.qNorm = floats(m_w->require(b + "attn_q_norm.weight"));
            l.kNorm = floats(m_w->require(b + "attn_k_norm.weight"));
            l.q = linear(b + "attn_q");
            l.k = linear(b + "attn_k");
            l.v = linear(b + "attn_v");
            l.o = linear(b + "attn_out");
            l.gate = linear(b + "ffn_gate");
            l.up = linear(b + "ffn_up");
            l.down = linear(b + "ffn_down");
            m_layers.push_back(std::move(l));
        }
        if (m_info.standardize) {
            m_stdBias = floats(m_w->require("v.std_bias"));
            m_stdScale = floats(m_w->require("v.std_scale"));
        }
        m_projection = linear("mm.input_projection").w;
    }

    const VisionEncoderInfo& info() const override { return m_info; }

    std::vector<float> encode(const vision::Patches& patches) override
    {
        const uint32_t n = patches.rows * patches.cols, d = m_info.hidden, hd = d / m_info.heads, I = m_info.intermediate;
        if (n == 0 || patches.rows % m_pool || patches.cols % m_pool || patches.values.size() != size_t(n) * 768)
            throw Error("The image was not preprocessed for this encoder.");
        for (size_t i = 0; i < patches.positions.size(); ++i)
            if (patches.positions[i] < 0 || uint32_t(patches.positions[i]) >= m_axisRows)
                throw Error("The image is larger than this vision encoder's position table.");
        const uint32_t tokens = patches.softTokens();
        auto& pipes = *m_pipelines;
        auto& rec = *m_rec;
        const auto f32 = [&](uint64_t count, MemoryUse use = MemoryUse::Device) { return Buffer(*m_ctx, std::max<uint64_t>(count, 1) * 4, use); };
        Buffer pixels = f32(size_t(n) * 768), positions(*m_ctx, size_t(n) * 8, MemoryUse::Device);
        Buffer h = f32(size_t(n) * d), xn = f32(size_t(n) * d), q = f32(size_t(n) * d), attn = f32(size_t(n) * d), o = f32(size_t(n) * d);
        Buffer gate = f32(size_t(n) * I), up = f32(size_t(n) * I);
        Buffer pooled = f32(size_t(tokens) * d), out = f32(size_t(tokens) * m_info.textHidden, MemoryUse::Readback);
        KvCache kv{f32(size_t(n) * d), f32(size_t(n) * d), n, d, false};

        // The model maps pixels from [0, 1] to [-1, 1] before the patch projection.
        std::vector<float> scaled(patches.values.size());
        for (size_t i = 0; i < scaled.size(); ++i)
            scaled[i] = 2.0f * (patches.values[i] - 0.5f);
        pixels.uploadValues(std::span<const float>(scaled));
        positions.uploadValues(std::span<const int32_t>(patches.positions));

        // Sized before recording: a buffer replaced mid-recording would still be bound.
        if (m_info.clippedLinears)
            ensureScratch(uint64_t(n) * std::max(d, I));
        rec.begin();
        recordMatvec(rec, pipes, *m_patch, pixels.range(), h.range(), n);
        rec.computeBarrier();
        recordPosEmbed(rec, pipes, h, m_posTable, positions, n, d, m_axisRows);
        rec.computeBarrier();
        for (const Layer& l : m_layers) {
            recordRmsNormF32(rec, pipes, h, &l.ln1, xn, n, d, m_eps);
            rec.computeBarrier();
            project(l.q, xn, q, n);
            project(l.k, xn, kv.k, n);
            project(l.v, xn, kv.v, n);
            recordRmsNormF32(rec, pipes, q, &l.qNorm, q, n * m_info.heads, hd, m_eps);
            recordRmsNormF32(rec, pipes, kv.k, &l.kNorm, kv.k, n * m_info.heads, hd, m_eps);
            recordRmsNormF32(rec, pipes, kv.v, nullptr, kv.v, n * m_info.heads, hd, m_eps);
            rec.computeBarrier();
            recordRope2d(rec, pipes, q, positions, n, m_info.heads, hd, 100.0f);
            recordRope2d(rec, pipes, kv.k, positions, n, m_info.heads, hd, 100.0f);
            rec.computeBarrier();
            recordAttentionAll(rec, pipes, q, kv, attn, n, m_info.heads, hd, 1.0f);
            rec.computeBarrier();
            project(l.o, attn, o, n);
            recordRmsNormF32(rec, pipes, o, &l.postAttn, o, n, d, m_eps);
            rec.computeBarrier();
            recordAddScale(rec, pipes, h.range(), o.range(), h.range(), n * d);
            rec.computeBarrier();
            recordRmsNormF32(rec, pipes, h, &l.ln2, xn, n, d, m_eps);
            rec.computeBarrier();
            project(l.gate, xn, gate, n);
            project(l.up, xn, up, n);
            recordGeluMul(rec, pipes, gate.range(), up.range(), gate.range(), n * I);
            rec.computeBarrier();
            project(l.down, gate, o, n);
            recordRmsNormF32(rec, pipes, o, &l.postFfw, o, n, d, m_eps);
            rec.computeBarrier();
            recordAddScale(rec, pipes, h.range(), o.range(), h.range(), n * d);
            rec.computeBarrier();
        }
        recordPool(rec, pipes, h, pooled, patches.rows, patches.cols, d, m_pool, std::sqrt(float(d)),
                   m_info.standardize ? &m_stdBias : nullptr, m_info.standardize ? &m_stdScale : nullptr);
        rec.computeBarrier();
        recordRmsNormF32(rec, pipes, pooled, nullptr, pooled, tokens, d, m_eps);
        rec.computeBarrier();
        recordMatvec(rec, pipes, *m_projection, pooled.range(), out.range(), tokens);
        rec.submitAndWait();
        return out.downloadValues<float>(size_t(tokens) * m_info.textHidden);
    }

private:
    Buffer floats(const Weight& w) { return model::uploadFloats(*m_ctx, w); }
    Linear linear(const std::string& base) { return model::loadClippedLinear(*m_ctx, *m_w, base); }
    void project(const Linear& l, const Buffer& x, const Buffer& y, uint32_t n)
    {
        model::recordClippedLinear(*m_rec, *m_pipelines, l, x, y, n, m_scratch ? &*m_scratch : nullptr);
    }

    void ensureScratch(uint64_t floats)
    {
        if (!m_scratch || m_scratch->size() < floats * 4)
            m_scratch.emplace(*m_ctx, floats * 4, MemoryUse::Device);
    }

    std::unique_ptr<WeightSource> m_w;
    VisionEncoderInfo m_info;
    float m_eps = 1e-6f;
    uint32_t m_pool = 3;
    uint32_t m_axisRows = 0;
    std::unique_ptr<Context> m_ctx;
    std::unique_ptr<PipelineCache> m_pipelines;
    std::unique_ptr<Recorder> m_rec;
    std::optional<DeviceMatrix> m_patch, m_projection;
    Buffer m_posTable, m_stdBias, m_stdScale;
    std::vector<Layer> m_layers;
    std::optional<Buffer> m_scratch;
};

} // namespace

std::unique_ptr<VisionEncoder> VisionEncoder::open(const std::filesystem::path& mmproj, const std::string& device)
{
    return std::make_unique<VulkanVisionEncoder>(model::WeightSource::open(mmproj, model::WeightSource::Part::Encoders), device);
}

} // namespace facet
