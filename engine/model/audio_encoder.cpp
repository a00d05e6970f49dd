// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "facet/audio_encoder.h"

#include "facet/error.h"
#include "facet/gguf.h"
#include "model/clipped_linear.h"
#include "model/weight_source.h"
#include "vk/context.h"
#include "vk/kernels/audio.h"
#include "vk/kernels/elementwise.h"
#include "vk/kernels/matvec.h"
#include "vk/kernels/rms_norm.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace facet {

namespace audio {

uint32_t tokenCount(size_t samples)
{
    if (samples + kHop < kFrame + 1)
        return 0;
    const size_t frames = (samples + kHop - (kFrame + 1)) / kHop + 1;
    const size_t afterFirst = (frames + 1) / 2;
    return uint32_t((afterFirst + 1) / 2);
}

std::vector<std::span<const float>> segments(std::span<const float> samples)
{
    std::vector<std::span<const float>> out;
    for (size_t at = 0; at < samples.size(); at += kSegmentSamples) {
        const auto piece = samples.subspan(at, std::min(kSegmentSamples, samples.size() - at));
        if (tokenCount(piece.size()) > 0)
            out.push_back(piece);
    }
    return out;
}

} // namespace audio

namespace {

using namespace vk;
using namespace vk::kernels;
using model::ClippedLinear;
using model::Weight;
using model::WeightSource;

// Chunked local attention (spec §2.5): each step sees itself and the 11 before it
// (transformers and llama.cpp; JAX allows 12 before, see §8.2).
constexpr uint32_t kWindow = 12;
constexpr float kSoftCap = 50.0f;
// llama.cpp's converter wrote a wrong epsilon into gemma4a files and llama.cpp ignores
// it; every Gemma 4 audio encoder uses 1e-6.
constexpr float kEps = 1e-6f;

struct Ffn {
    Buffer pre, post; // post carries the half-step 0.5
    ClippedLinear up, down;
};

struct Layer {
    Ffn ffn1, ffn2;
    Buffer attnPre, attnPost, convPre, convNorm, out;
    Buffer qScale, rel, depthwise;
    ClippedLinear q, k, v, o, convStart, convEnd;
};

class VulkanAudioEncoder final : public AudioEncoder {
public:
    VulkanAudioEncoder(std::unique_ptr<WeightSource> weights, const std::string& device)
        : m_w(std::move(weights))
    {
        const gguf::File* f = m_w->gguf();
        const std::string name = m_w->displayName();
        m_info.fileName = name;
        if (f) {
            const gguf::Value* has = f->find("clip.has_audio_encoder");
            if (!has || !has->toBool("clip.has_audio_encoder"))
                throw Error(name + " has no audio encoder.");
            const auto u32 = [&](const char* key) { return static_cast<uint32_t>(f->require(key).toU64(key)); };
            if (const gguf::Value* type = f->find("clip.audio.projector_type")) {
                const std::string kind(type->toString("clip.audio.projector_type"));
                if (kind != "gemma4a")
                    throw Error(name + " holds a " + kind + " audio encoder; Facet runs Gemma 4's (gemma4a).");
            }
            m_info.hidden = u32("clip.audio.embedding_length");
            m_info.layers = u32("clip.audio.block_count");
            m_info.heads = u32("clip.audio.attention.head_count");
            m_info.textHidden = u32("clip.audio.projection_dim");
        } else {
            // A Hugging Face folder: the sizes follow from the tensors' shapes.
            const Weight* q = m_w->find("a.blk.0.attn_q.weight");
            if (!q)
                throw Error(name + " has no audio encoder.");
            m_info.hidden = uint32_t(q->ne[0]);
            while (m_w->find("a.blk." + std::to_string(m_info.layers) + ".attn_q.weight"))
                ++m_info.layers;
            const uint32_t headDim = uint32_t(m_w->require("a.blk.0.per_dim_scale.weight").ne[0]);
            m_info.heads = headDim ? m_info.hidden / headDim : 0;
            m_info.textHidden = uint32_t(m_w->require("mm.a.input_projection.weight").rows());
        }
        const uint32_t d = m_info.hidden;
        if (m_info.heads == 0 || d % m_info.heads || d % 2)
            throw Error(name + " has an audio encoder of a shape Facet cannot run (" + std::to_string(d) + " wide, " +
                        std::to_string(m_info.heads) + " heads).");

        m_ctx = std::make_unique<Context>(ContextOptions{device, false});
        m_pipelines = std::make_unique<PipelineCache>(*m_ctx);
        m_rec = std::make_unique<Recorder>(*m_ctx);
        m_info.deviceName = m_ctx->gpu().name;

        // The subsampler: two 3x3 stride-2 convolutions over (time, mel), 1 -> C0 -> C1 channels.
        const Weight& c0 = m_w->require("a.conv1d.0.weight");
        const Weight& c1 = m_w->require("a.conv1d.1.weight");
        m_ch0 = uint32_t(c0.ne[3]);
        m_ch1 = uint32_t(c1.ne[3]);
        if (c0.ne[0] != 3 || c0.ne[1] != 3 || c0.ne[2] != 1 || c1.ne[0] != 3 || c1.ne[1] != 3 || c1.ne[2] != m_ch0)
            throw Error(name + " has subsampling convolutions of an unexpected shape.");
        m_conv0 = floats(c0);
        m_conv1 = floats(c1);
        m_norm0 = floats(m_w->require("a.conv1d.0.norm.weight", {int64_t(m_ch0)}));
        m_norm1 = floats(m_w->require("a.conv1d.1.norm.weight", {int64_t(m_ch1)}));
        m_inputProj = linear("a.input_projection");
        m_melOut = (audio::kMelBins + 1) / 2;
        m_melOut = (m_melOut + 1) / 2;
        if (m_inputProj.cols != m_melOut * m_ch1 || m_inputProj.rows != d)
            throw Error(name + " has an audio input projection of an unexpected shape.");

        const uint32_t hd = d / m_info.heads;
        for (uint32_t i = 0; i < m_info.layers; ++i) {
            const std::string b = "a.blk." + std::to_string(i) + ".";
            Layer l;
            l.ffn1 = ffn(b, "");
            l.ffn2 = ffn(b, "_1");
            l.attnPre = floats(m_w->require(b + "attn_pre_norm.weight"));
            l.attnPost = floats(m_w->require(b + "attn_post_norm.weight"));
            // llama.cpp's names for the light convolution's two norms are swapped:
            // conv_norm is the one before linear_start, norm_conv the one after the convolution.
            l.convPre = floats(m_w->require(b + "conv_norm.weight"));
            l.convNorm = floats(m_w->require(b + "norm_conv.weight"));
            l.out = floats(m_w->require(b + "ln2.weight"));
            l.q = linear(b + "attn_q");
            l.k = linear(b + "attn_k");
            l.v = linear(b + "attn_v");
            l.o = linear(b + "attn_out");
            l.convStart = linear(b + "conv_pw1");
            l.convEnd = linear(b + "conv_pw2");
            const Weight& dw = m_w->require(b + "conv_dw.weight"); // [d, K], or [d, 1, K] in a HF folder
            if (dw.rows() != d)
                throw Error(name + " has a depthwise convolution of an unexpected shape.");
            m_kernel = uint32_t(dw.ne[0]);
            l.depthwise = floats(dw);
            // An mmproj stores softplus(per_dim_scale), a HF folder the parameter itself;
            // the 1/sqrt(hd)/ln 2 query scale is folded in.
            auto scale = m_w->require(b + "per_dim_scale.weight", {int64_t(hd)}).allAsFloat();
            for (float& s : scale) {
                if (!f)
                    s = float(std::log1p(std::exp(double(s))));
                s *= float(1.0 / std::sqrt(double(hd)) / std::log(2.0));
            }
            l.qScale = Buffer(*m_ctx, hd * 4, MemoryUse::Device);
            l.qScale.uploadValues(std::span<const float>(scale));
            l.rel = relativeKeys(linear(b + "attn_k_rel"));
            m_layers.push_back(std::move(l));
        }
        const Weight& outW = m_w->require("a.pre_encode.out.weight");
        m_outputProj = linear("a.pre_encode.out");
        m_outputBias = floats(m_w->require("a.pre_encode.out.bias", {outW.ne[1]}));
        m_embed = linear("mm.a.input_projection");
        if (m_embed.cols != m_outputProj.rows || m_embed.rows != m_info.textHidden || m_outputProj.cols != d)
            throw Error(name + " has audio projections of unexpected shapes.");
    }

    const AudioEncoderInfo& info() const override { return m_info; }

    std::vector<float> encode(std::span<const float> samples) override
    {
        if (samples.size() > audio::kSegmentSamples)
            throw Error("An audio segment is longer than the encoder's 30 seconds.");
        const uint32_t tokens = audio::tokenCount(samples.size());
        if (tokens == 0)
            throw Error("The audio clip is too short to hear anything.");
        const audio::Features mel = audio::logMel(samples);
        // Which rows stay valid after each stride-2 step (every second one of the step before).
        std::vector<int32_t> flags0(mel.frames), flags1((mel.frames + 1) / 2);
        for (uint32_t t = 0; t < mel.frames; ++t)
            flags0[t] = mel.valid[t] ? 1 : 0;
        for (uint32_t t = 0; t < flags1.size(); ++t)
            flags1[t] = flags0[2 * t];
        const uint32_t rows1 = uint32_t(flags1.size()), rows2 = (rows1 + 1) / 2;
        if (tokens > rows2)
            throw std::logic_error("audio encoder: token count exceeds the subsampled length");

        const uint32_t d = m_info.hidden, hd = d / m_info.heads, melCols1 = (audio::kMelBins + 1) / 2;
        const auto f32 = [&](uint64_t count, MemoryUse use = MemoryUse::Device) {
            return Buffer(*m_ctx, std::max<uint64_t>(count, 1) * 4, use);
        };
        Buffer melBuf = f32(mel.values.size()), f0(*m_ctx, flags0.size() * 4, MemoryUse::Device),
               f1(*m_ctx, flags1.size() * 4, MemoryUse::Device);
        melBuf.uploadValues(std::span<const float>(mel.values));
        f0.uploadValues(std::span<const int32_t>(flags0));
        f1.uploadValues(std::span<const int32_t>(flags1));
        Buffer sub0 = f32(uint64_t(rows1) * melCols1 * m_ch0), sub1 = f32(uint64_t(rows2) * m_melOut * m_ch1);

        // Only the valid steps go on: the conformer is causal, so the padded tail never
        // reaches them.
        const uint32_t n = tokens;
        Buffer x = f32(uint64_t(n) * d), xn = f32(uint64_t(n) * d), hidden = f32(uint64_t(n) * 4 * d),
               q = f32(uint64_t(n) * d), k = f32(uint64_t(n) * d), v = f32(uint64_t(n) * d), attn = f32(uint64_t(n) * d),
               gate = f32(uint64_t(n) * 2 * d), y = f32(uint64_t(n) * d);
        Buffer proj = f32(uint64_t(n) * m_outputProj.rows), out = f32(uint64_t(n) * m_info.textHidden, MemoryUse::Readback);
        Buffer scratch = f32(uint64_t(n) * std::max({4 * d, m_outputProj.rows, m_inputProj.cols}));

        auto& rec = *m_rec;
        auto& pipes = *m_pipelines;
        const auto linearTo = [&](const ClippedLinear& l, const Buffer& in, const Buffer& to) {
            model::recordClippedLinear(rec, pipes, l, in, to, n, &scratch);
        };
        const auto residualAdd = [&](const Buffer& delta) {
            recordAddScale(rec, pipes, x.range(), delta.range(), x.range(), n * d);
            rec.computeBarrier();
        };
        const auto feedForward = [&](const Ffn& f) {
            recordRmsNormF32(rec, pipes, x, &f.pre, xn, n, d, kEps);
            rec.computeBarrier();
            linearTo(f.up, xn, hidden);
            recordSilu(rec, pipes, hidden, n * 4 * d);
            rec.computeBarrier();
            linearTo(f.down, hidden, y);
            recordRmsNormF32(rec, pipes, y, &f.post, y, n, d, kEps);
            rec.computeBarrier();
            residualAdd(y);
        };

        rec.begin();
        recordConv2dStride2(rec, pipes, melBuf, m_conv0, f0, sub0, mel.frames, audio::kMelBins, 1, m_ch0);
        rec.computeBarrier();
        recordLayerNormRelu(rec, pipes, sub0, m_norm0, rows1 * melCols1, m_ch0, kEps);
        rec.computeBarrier();
        recordConv2dStride2(rec, pipes, sub0, m_conv1, f1, sub1, rows1, melCols1, m_ch0, m_ch1);
        rec.computeBarrier();
        recordLayerNormRelu(rec, pipes, sub1, m_norm1, rows2 * m_melOut, m_ch1, kEps);
        rec.computeBarrier();
        // Each step's (mel, channel) grid, channel fastest, is one input row.
        linearTo(m_inputProj, sub1, x);
        for (const Layer& l : m_layers) {
            feedForward(l.ffn1);

            recordRmsNormF32(rec, pipes, x, &l.attnPre, xn, n, d, kEps);
            rec.computeBarrier();
            linearTo(l.q, xn, q);
            linearTo(l.k, xn, k);
            linearTo(l.v, xn, v);
            recordLocalAttention(rec, pipes, q, k, v, l.rel, l.qScale, attn, n, m_info.heads, hd, kWindow,
                                 float(std::log1p(std::exp(1.0)) / std::log(2.0)), kSoftCap);
            rec.computeBarrier();
            linearTo(l.o, attn, y);
            recordRmsNormF32(rec, pipes, y, &l.attnPost, y, n, d, kEps);
            rec.computeBarrier();
            residualAdd(y);

            recordRmsNormF32(rec, pipes, x, &l.convPre, xn, n, d, kEps);
            rec.computeBarrier();
            linearTo(l.convStart, xn, gate);
            recordGlu(rec, pipes, gate, attn, n, d);
            rec.computeBarrier();
            recordDepthwiseConvCausal(rec, pipes, attn, l.depthwise, y, n, d, m_kernel);
            rec.computeBarrier();
            recordRmsNormF32(rec, pipes, y, &l.convNorm, y, n, d, kEps);
            rec.computeBarrier();
            recordSilu(rec, pipes, y, n * d);
            rec.computeBarrier();
            linearTo(l.convEnd, y, attn);
            residualAdd(attn);

            feedForward(l.ffn2);
            recordRmsNormF32(rec, pipes, x, &l.out, x, n, d, kEps);
            rec.computeBarrier();
        }
        linearTo(m_outputProj, x, proj);
        recordAddScale(rec, pipes, proj.range(), m_outputBias.range(), proj.range(), n * m_outputProj.rows, 1.0f,
                       Strided{m_outputProj.rows, 0, 0});
        rec.computeBarrier();
        recordRmsNormF32(rec, pipes, proj, nullptr, proj, n, m_outputProj.rows, kEps);
        rec.computeBarrier();
        linearTo(m_embed, proj, out);
        rec.submitAndWait();
        return out.downloadValues<float>(size_t(n) * m_info.textHidden);
    }

private:
    Buffer floats(const Weight& w) { return model::uploadFloats(*m_ctx, w); }
    ClippedLinear linear(const std::string& base) { return model::loadClippedLinear(*m_ctx, *m_w, base); }

    Ffn ffn(const std::string& block, const std::string& suffix)
    {
        Ffn f;
        f.pre = floats(m_w->require(block + "ffn_norm" + suffix + ".weight"));
        // The residual takes half of each feed-forward's output; scaling the post-norm's
        // weights by 0.5 does that exactly.
        auto post = m_w->require(block + "ffn_post_norm" + suffix + ".weight").allAsFloat();
        for (float& w : post)
            w *= 0.5f;
        f.post = Buffer(*m_ctx, post.size() * 4, MemoryUse::Device);
        f.post.uploadValues(std::span<const float>(post));
        f.up = linear(block + "ffn_up" + suffix);
        f.down = linear(block + "ffn_down" + suffix);
        return f;
    }

    // The relative position keys R(dist) = W_rel · [sin(dist·ω), cos(dist·ω)] for the
    // distances 0 .. kWindow-1, ω_i = 10000^(-i / (d/2 - 1)); the same for every clip,
    // so computed once here, on the device (W_rel may be quantized).
    Buffer relativeKeys(const ClippedLinear& wRel)
    {
        const uint32_t d = m_info.hidden, half = d / 2;
        std::vector<float> table(size_t(kWindow) * d);
        const double step = std::log(10000.0) / std::max<double>(half - 1, 1);
        for (uint32_t dist = 0; dist < kWindow; ++dist)
            for (uint32_t i = 0; i < half; ++i) {
                const float omega = float(std::exp(-double(i) * step));
                const float angle = float(dist) * omega;
                table[size_t(dist) * d + i] = std::sin(angle);
                table[size_t(dist) * d + half + i] = std::cos(angle);
            }
        Buffer in(*m_ctx, table.size() * 4, MemoryUse::Device), out(*m_ctx, size_t(kWindow) * wRel.rows * 4, MemoryUse::Device);
        in.uploadValues(std::span<const float>(table));
        if (wRel.cols != d || wRel.rows != d)
            throw Error(m_info.fileName + " has a relative position projection of an unexpected shape.");
        m_rec->begin();
        recordMatvec(*m_rec, *m_pipelines, *wRel.w, in.range(), out.range(), kWindow);
        m_rec->submitAndWait();
        return out;
    }

    std::unique_ptr<WeightSource> m_w;
    AudioEncoderInfo m_info;
    std::unique_ptr<Context> m_ctx;
    std::unique_ptr<PipelineCache> m_pipelines;
    std::unique_ptr<Recorder> m_rec;
    uint32_t m_ch0 = 0, m_ch1 = 0, m_melOut = 0, m_kernel = 5;
    Buffer m_conv0, m_conv1, m_norm0, m_norm1, m_outputBias;
    ClippedLinear m_inputProj, m_outputProj, m_embed;
    std::vector<Layer> m_layers;
};

} // namespace

std::unique_ptr<AudioEncoder> AudioEncoder::open(const std::filesystem::path& mmproj, const std::string& device)
{
    return std::make_unique<VulkanAudioEncoder>(model::WeightSource::open(mmproj, model::WeightSource::Part::Encoders), device);
}

bool AudioEncoder::present(const std::filesystem::path& mmproj)
{
    try {
        const auto w = model::WeightSource::open(mmproj, model::WeightSource::Part::Encoders);
        if (const gguf::File* f = w->gguf()) {
            const gguf::Value* has = f->find("clip.has_audio_encoder");
            return has && has->toBool("clip.has_audio_encoder");
        }
        return w->find("a.blk.0.attn_q.weight") != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace facet
