// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/matvec.comp, block Push.
struct MatvecPush {
    uint32_t cols4;
    uint32_t rows;
    uint32_t yOffset;
};
static_assert(sizeof(MatvecPush) == 12);

// y[rows] = W[rows, cols] · x[cols], all f32; one dispatch per chunk of W.
void recordMatvecF32(Recorder& rec, PipelineCache& pipelines, const RowChunkedBuffer& weight, uint32_t cols,
                     const Buffer& x, const Buffer& y);

} // namespace facet::vk::kernels
