// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/vision.comp, block Push.
struct VisionPush {
    uint32_t n, width, heads, cols, k;
    float f0, f1;
};
static_assert(sizeof(VisionPush) == 28);

// y = clamp(x, lo, hi) over n floats; y may be x.
void recordClamp(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& y, uint32_t n, float lo, float hi);
// h[tokens, d] += table[0][x] + table[1][y] with table [2, axisRows, d] and (x, y) ints per token.
void recordPosEmbed(Recorder& rec, PipelineCache& pipelines, const Buffer& h, const Buffer& table, const Buffer& positions,
                    uint32_t tokens, uint32_t d, uint32_t axisRows);
// Axial 2-D RoPE in place on x [tokens, heads, hd]: first half by x, second by y.
void recordRope2d(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& positions, uint32_t tokens,
                  uint32_t heads, uint32_t hd, float theta);
// x[t, d] = src[t, d] for the tokens whose flag (int) is non-zero.
void recordSelectRows(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& src, const Buffer& flags,
                      uint32_t tokens, uint32_t d);
// y[(rows/k)*(cols/k), d] = scale * k×k average of x [rows*cols, d]; then (y - bias) * stdScale
// when bias is given.
void recordPool(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& y, uint32_t rows, uint32_t cols,
                uint32_t d, uint32_t k, float scale, const Buffer* bias, const Buffer* stdScale);

} // namespace facet::vk::kernels
