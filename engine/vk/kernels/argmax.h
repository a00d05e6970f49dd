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

// shaders/topk.comp, block Push.
struct TopKPush {
    uint32_t n, k, recentCount;
    float penalty;
};
static_assert(sizeof(TopKPush) == 16);

// Applies the repetition penalty to x's recent tokens (in place), then writes the k
// largest of x[0..n) to ids/values, largest first (lowest id on ties). `scratch` holds
// the per-segment candidates: topKScratchPairs(n, k) ids and as many values.
uint64_t topKScratchPairs(uint32_t n, uint32_t k);
void recordTopK(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& recent, uint32_t recentCount,
                float penalty, const Buffer& scratchIds, const Buffer& scratchValues, const Buffer& ids, const Buffer& values,
                uint32_t n, uint32_t k);

} // namespace facet::vk::kernels
