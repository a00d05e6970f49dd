// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/rope.comp, block Push.
struct RopePush {
    uint32_t heads, hd, rotPairs, pos0;
    float theta;
    uint32_t tokens;
    float positionScale;
};
static_assert(sizeof(RopePush) == 28);

// shaders/attention.comp, block Push.
struct AttentionPush {
    uint32_t heads, kvHeads, hd, capacity, pos0, window;
    float scale;
    uint32_t queryStep;
    uint32_t groups;
};
static_assert(sizeof(AttentionPush) == 36);

// One layer's K and V cache: [capacity, kvHeads * hd] each, f16 or f32. Position p
// lives in slot p % capacity, so a sliding layer needs only window + chunk - 1 slots
// (a chunk's last write must not evict a key its first query still sees).
struct KvCache {
    Buffer k, v;
    uint32_t capacity = 0;
    uint32_t width = 0; // kvHeads * hd
    bool f16 = true;
};

// x: [tokens, heads, hd] rotated in place, token t at position pos0 + t (NeoX pairs;
// only the first rotPairs).
void recordRope(Recorder& rec, PipelineCache& pipelines, const Buffer& x, uint32_t tokens, uint32_t heads, uint32_t hd,
                uint32_t rotPairs, uint32_t pos0, float theta, float positionScale = 1.0f);

// shaders/rope.comp with NORM, block Push.
struct NormRopePush {
    RopePush rope;
    float eps;
    uint32_t hasWeight;
};
static_assert(sizeof(NormRopePush) == 36);

// x[tokens, heads, hd] = rope(rms_norm(x) * weight) in place, row by row: recordRmsNormF32
// then recordRope in one dispatch. `weight` null: no weight.
void recordNormRope(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer* weight, float eps, uint32_t tokens,
                    uint32_t heads, uint32_t hd, uint32_t rotPairs, uint32_t pos0, float theta, float positionScale);
// shaders/attention_inputs.comp, block Push.
struct AttentionInputsPush {
    uint32_t heads, kvHeads, hd, rotPairs, pos0;
    float theta;
    uint32_t tokens;
    float positionScale, eps;
    uint32_t capacity, normV;
};
static_assert(sizeof(AttentionInputsPush) == 44);

// The layer's projections, [tokens, heads or kvHeads, hd] f32 each, made ready for
// attention in one dispatch: q = rope(rms_norm(q) * qNorm) in place; the cache gets
// rope(rms_norm(k) * kNorm) and v (normV: rms_norm(v) without weight) for positions
// pos0... Gemma 4's K=V layers pass the raw k as v, with normV. RoPE: recordNormRope's.
struct AttentionInputs {
    const Buffer& q;
    const Buffer& qNorm;
    const Buffer& k;
    const Buffer& kNorm;
    const Buffer& v;
    bool normV;
};
void recordAttentionInputs(Recorder& rec, PipelineCache& pipelines, const AttentionInputs& in, const KvCache& cache,
                           float eps, uint32_t tokens, uint32_t heads, uint32_t kvHeads, uint32_t hd, uint32_t rotPairs,
                           uint32_t pos0, float theta, float positionScale);
// out[tokens, heads, hd] = softmax(q K^T * scale) V; token t (position pos0 + t) sees the
// positions up to its own, the last `window` of them when window > 0. groupLast (one int
// per token, optional): token t also sees up to position groupLast[t] (an image's
// tokens in a sliding layer of 26B/31B); those keys must be in this chunk.
void recordAttention(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const KvCache& cache, const Buffer& out,
                     uint32_t tokens, uint32_t heads, uint32_t kvHeads, uint32_t hd, uint32_t pos0, uint32_t window,
                     float scale, const Buffer* groupLast = nullptr);
// Bidirectional: every one of `tokens` queries sees all `tokens` keys in the cache
// (positions 0..tokens-1), as a vision encoder's patches do.
void recordAttentionAll(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const KvCache& cache, const Buffer& out,
                        uint32_t tokens, uint32_t heads, uint32_t hd, float scale);

} // namespace facet::vk::kernels
