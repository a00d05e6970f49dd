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

} // namespace facet::vk::kernels
