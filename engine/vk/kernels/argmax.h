// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/argmax.comp, block Push.
struct ArgmaxPush {
    uint32_t n;
};
static_assert(sizeof(ArgmaxPush) == 4);

// result[0] = index of the largest of x[0..n) (lowest index on ties).
void recordArgmax(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& result, uint32_t n);

} // namespace facet::vk::kernels
