// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/audio.comp, block Push.
struct AudioPush {
    uint32_t n, a0, a1, a2, a3, a4;
    float f0, f1;
};
static_assert(sizeof(AudioPush) == 32);

// y[(rows+1)/2, (cols+1)/2, outCh] = 3x3 stride-2 convolution (zero padding 1) of
// x [rows, cols, inCh] with w [outCh, inCh, 3, 3]; rows whose rowFlags (int) is 0 count as zeros.
void recordConv2dStride2(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& w, const Buffer& rowFlags,
                         const Buffer& y, uint32_t rows, uint32_t cols, uint32_t inCh, uint32_t outCh);
// In place over x [rows, channels]: relu(LayerNorm(row) * w), no bias.
void recordLayerNormRelu(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& w, uint32_t rows,
                         uint32_t channels, float eps);
// In place: x = silu(x) over n floats.
void recordSilu(Recorder& rec, PipelineCache& pipelines, const Buffer& x, uint32_t n);
// y[t, d] = x[t, :d] * sigmoid(x[t, d:]) for x [tokens, 2d].
void recordGlu(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& y, uint32_t tokens, uint32_t d);
// Causal depthwise convolution over time: y [tokens, d] from x [tokens, d], w [d, kernel].
void recordDepthwiseConvCausal(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& w, const Buffer& y,
                               uint32_t tokens, uint32_t d, uint32_t kernel);
// Chunked local attention of Gemma 4's conformer: token t sees t-window+1 .. t; q, k, v and
// out [tokens, heads * hd]; rel [window, heads * hd] by distance; qScale [hd].
void recordLocalAttention(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const Buffer& k, const Buffer& v,
                          const Buffer& rel, const Buffer& qScale, const Buffer& out, uint32_t tokens, uint32_t heads,
                          uint32_t hd, uint32_t window, float kScale, float softCap);

} // namespace facet::vk::kernels
