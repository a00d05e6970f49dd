// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/rms_norm.comp, block Push.
struct RmsNormPush {
    uint32_t n;
    uint32_t rows;
    float eps;
    uint32_t hasWeight;
};
static_assert(sizeof(RmsNormPush) == 16);

// y[rows, n] = x / sqrt(mean(x^2) + eps) * w, row by row; f32 throughout. `weight` null:
// no weight (Gemma 4's V norm and router norm).
void recordRmsNormF32(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer* weight, const Buffer& y,
                      uint32_t rows, uint32_t n, float eps);

// shaders/residual_norm.comp, block Push.
struct ResidualNormPush {
    uint32_t n;
    uint32_t rows;
    float eps;
    float scale;
    uint32_t hasNext;
};
static_assert(sizeof(ResidualNormPush) == 20);

// The end of a sublayer, row by row: x = (x + rms_norm(o) * branchNorm) * scale, and where
// nextNorm is given, xn = rms_norm(x) * nextNorm. Bit for bit recordRmsNormF32(o),
// recordAddScale and recordRmsNormF32(x) in turn, in one dispatch; o is left as it was.
void recordResidualNorm(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& o, const Buffer& branchNorm,
                        float scale, const Buffer* nextNorm, const Buffer& xn, uint32_t rows, uint32_t n, float eps);

} // namespace facet::vk::kernels
