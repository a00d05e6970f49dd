// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/elementwise.comp, block Push.
struct ElementwisePush {
    uint32_t n;
    float scale;
    uint32_t width, aStride, aOffset, bStride, bOffset;
};
static_assert(sizeof(ElementwisePush) == 28);

// How an operand is read: element i comes from x[(i / width) * stride + offset + i % width].
// The default reads it plainly; width with stride 0 broadcasts one vector over rows.
struct Strided {
    uint32_t width = 0; // 0: plain
    uint32_t stride = 0;
    uint32_t offset = 0;
};

// Operands are ranges so a slice (one layer's PLE vector) can be used in place.
// y = gelu_tanh(a) * b
void recordGeluMul(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
                   Strided bView = {}, Strided aView = {});
// y = a * b * scale
void recordMul(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n, float scale,
               Strided bView = {});
// y = (a + b) * scale (b broadcast over rows with a zero-stride view: a bias)
void recordAddScale(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
                    float scale = 1.0f, Strided bView = {});
// y = cap * tanh(a / cap)
void recordSoftcap(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange y, uint32_t n, float cap);

} // namespace facet::vk::kernels
