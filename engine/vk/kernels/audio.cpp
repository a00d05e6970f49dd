// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/audio.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

struct Bindings {
    const Buffer* x = nullptr; // required
    const Buffer* a = nullptr;
    const Buffer* b = nullptr;
    const Buffer* c = nullptr;
    const Buffer* d = nullptr;
    const Buffer* flags = nullptr;
    const Buffer* y = nullptr;
};

// Every variant declares the same seven bindings; the ones it does not read get x.
void dispatch(Recorder& rec, PipelineCache& pipelines, ShaderId id, const Bindings& bind, const AudioPush& push)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(id, {sg});
    const auto r = [&](const Buffer* buf) { return (buf ? *buf : *bind.x).range(); };
    rec.dispatch(p, {r(bind.x), r(bind.a), r(bind.b), r(bind.c), r(bind.d), r(bind.flags), r(bind.y)}, push,
                 rec.groupsFor((push.n + sg - 1) / sg));
}

bool fits(const Buffer& b, uint64_t floats) { return b.size() >= floats * 4; }

} // namespace

void recordConv2dStride2(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& w, const Buffer& rowFlags,
                         const Buffer& y, uint32_t rows, uint32_t cols, uint32_t inCh, uint32_t outCh)
{
    const uint32_t outRows = (rows + 1) / 2, outCols = (cols + 1) / 2;
    if (!fits(x, uint64_t(rows) * cols * inCh) || !fits(w, uint64_t(outCh) * inCh * 9) || !fits(rowFlags, rows) ||
        !fits(y, uint64_t(outRows) * outCols * outCh))
        throw std::invalid_argument("conv2d: buffers too small");
    dispatch(rec, pipelines, ShaderId::audio_conv2d, {.x = &x, .a = &w, .flags = &rowFlags, .y = &y},
             AudioPush{outRows * outCols * outCh, rows, cols, inCh, outCols, outCh, 0, 0});
}

void recordLayerNormRelu(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& w, uint32_t rows,
                         uint32_t channels, float eps)
{
    if (!fits(x, uint64_t(rows) * channels) || !fits(w, channels))
        throw std::invalid_argument("layer_norm_relu: buffers too small");
    dispatch(rec, pipelines, ShaderId::audio_ln_relu, {.x = &x, .a = &w}, AudioPush{rows, channels, 0, 0, 0, 0, eps, 0});
}

void recordSilu(Recorder& rec, PipelineCache& pipelines, const Buffer& x, uint32_t n)
{
    if (!fits(x, n))
        throw std::invalid_argument("silu: buffer too small");
    dispatch(rec, pipelines, ShaderId::audio_silu, {.x = &x}, AudioPush{n, 0, 0, 0, 0, 0, 0, 0});
}

void recordGlu(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& y, uint32_t tokens, uint32_t d)
{
    if (!fits(x, uint64_t(tokens) * 2 * d) || !fits(y, uint64_t(tokens) * d))
        throw std::invalid_argument("glu: buffers too small");
    dispatch(rec, pipelines, ShaderId::audio_glu, {.x = &x, .y = &y}, AudioPush{tokens * d, d, 0, 0, 0, 0, 0, 0});
}

void recordDepthwiseConvCausal(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& w, const Buffer& y,
                               uint32_t tokens, uint32_t d, uint32_t kernel)
{
    if (!fits(x, uint64_t(tokens) * d) || !fits(w, uint64_t(d) * kernel) || !fits(y, uint64_t(tokens) * d))
        throw std::invalid_argument("depthwise conv: buffers too small");
    dispatch(rec, pipelines, ShaderId::audio_dwconv, {.x = &x, .a = &w, .y = &y}, AudioPush{tokens * d, d, kernel, 0, 0, 0, 0, 0});
}

void recordLocalAttention(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const Buffer& k, const Buffer& v,
                          const Buffer& rel, const Buffer& qScale, const Buffer& out, uint32_t tokens, uint32_t heads,
                          uint32_t hd, uint32_t window, float kScale, float softCap)
{
    const uint64_t n = uint64_t(tokens) * heads * hd;
    if (window == 0 || window > 32 || !fits(q, n) || !fits(k, n) || !fits(v, n) || !fits(out, n) ||
        !fits(rel, uint64_t(window) * heads * hd) || !fits(qScale, hd))
        throw std::invalid_argument("local attention: bad shape");
    dispatch(rec, pipelines, ShaderId::audio_local_attn, {.x = &q, .a = &k, .b = &v, .c = &rel, .d = &qScale, .y = &out},
             AudioPush{tokens * heads, heads, hd, window, 0, 0, kScale, softCap});
}

} // namespace facet::vk::kernels
