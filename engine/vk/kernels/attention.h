// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/rope.comp, block Push.
struct RopePush {
    uint32_t heads, hd, rotPairs, pos;
    float theta;
};
static_assert(sizeof(RopePush) == 20);

// shaders/kv_store.comp, block Push.
struct KvStorePush {
    uint32_t width, slot;
};
static_assert(sizeof(KvStorePush) == 8);

// shaders/attention.comp, block Push.
struct AttentionPush {
    uint32_t heads, kvHeads, hd, capacity, first, last;
    float scale;
};
static_assert(sizeof(AttentionPush) == 28);

// One layer's K and V cache: [capacity, kvHeads * hd] each, f16 or f32. Position p
// lives in slot p % capacity, so a sliding layer needs only `window` slots.
struct KvCache {
    Buffer k, v;
    uint32_t capacity = 0;
    uint32_t width = 0; // kvHeads * hd
    bool f16 = true;
};

// x: [heads, hd] rotated in place at position `pos` (NeoX pairs; only the first rotPairs).
void recordRope(Recorder& rec, PipelineCache& pipelines, const Buffer& x, uint32_t heads, uint32_t hd, uint32_t rotPairs,
                uint32_t pos, float theta);
// Stores K and V ([width] f32 each) for position `pos` into the cache.
void recordKvStore(Recorder& rec, PipelineCache& pipelines, const Buffer& k, const Buffer& v, const KvCache& cache, uint32_t pos);
// out[heads, hd] = softmax(q K^T * scale) V over positions first..last.
void recordAttention(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const KvCache& cache, const Buffer& out,
                     uint32_t heads, uint32_t kvHeads, uint32_t hd, uint32_t first, uint32_t last, float scale);

} // namespace facet::vk::kernels
