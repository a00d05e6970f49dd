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
    uint32_t offset;
};
static_assert(sizeof(ArgmaxPush) == 8);

// result[0] = index of the largest of x[offset .. offset + n) (lowest index on ties).
void recordArgmax(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& result, uint32_t n, uint32_t offset = 0);

} // namespace facet::vk::kernels
