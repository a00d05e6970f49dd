// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Sampling's device half, in two stages (so each workgroup scans a short range):
//  TOPK_SEGMENTS: workgroup g takes logits [g * SEGMENT, (g + 1) * SEGMENT), applies the
//    repetition penalty to the recent tokens that fall there (each distinct token once:
//    a positive logit is divided by the penalty, a negative one multiplied, as llama.cpp
//    does), and writes that segment's k largest (value, id) pairs to slots g * k ...
//  (merge): one workgroup takes the k largest of all segments' pairs.
// Order: larger value first, lower id on ties. The host draws from the k that remain.
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;

const uint SEGMENT = 2048;
const uint NONE = 0xFFFFFFFFu;

#if defined(TOPK_SEGMENTS)
layout(std430, binding = 0) buffer Logits { float logits[]; };
layout(std430, binding = 1) readonly buffer Recent { uint recent[]; };
#else
layout(std430, binding = 0) readonly buffer InValues { float inValues[]; };
layout(std430, binding = 1) readonly buffer InIds { uint inIds[]; };
#endif
layout(std430, binding = 2) buffer OutIds { uint outIds[]; };
layout(std430, binding = 3) buffer OutValues { float outValues[]; };

// C++: facet::vk::kernels::TopKPush
layout(push_constant) uniform Push {
    uint n;           // logits (segments stage) or candidate pairs (merge stage)
    uint k;
    uint recentCount;
    float penalty;
} p;

void main()
{
    const uint lane = gl_LocalInvocationID.x;
#if defined(TOPK_SEGMENTS)
    const uint begin = gl_WorkGroupID.x * SEGMENT;
    const uint end = min(begin + SEGMENT, p.n);
    const uint outBase = gl_WorkGroupID.x * p.k;
    if (subgroupElect()) {
        for (uint r = 0; r < p.recentCount; ++r) {
            const uint id = recent[r];
            bool first = true;
            for (uint q = 0; q < r; ++q)
                first = first && recent[q] != id;
            if (first && id >= begin && id < end) {
                const float v = logits[id];
                logits[id] = v > 0.0 ? v / p.penalty : v * p.penalty;
            }
        }
    }
    memoryBarrierBuffer();
    subgroupBarrier();
#else
    const uint begin = 0;
    const uint end = p.n;
    const uint outBase = 0;
#endif
    uint previousId = NONE;
    float previousValue = 1.0 / 0.0;
    for (uint r = 0; r < p.k; ++r) {
        float best = -1.0 / 0.0;
        uint bestId = NONE;
        for (uint i = begin + lane; i < end; i += gl_WorkGroupSize.x) {
#if defined(TOPK_SEGMENTS)
            const float v = logits[i];
            const uint id = i;
#else
            const float v = inValues[i];
            const uint id = inIds[i];
#endif
            const bool taken = v > previousValue || (v == previousValue && id <= previousId && previousId != NONE);
            if (id != NONE && !taken && (v > best || (v == best && id < bestId))) {
                best = v;
                bestId = id;
            }
        }
        const float top = subgroupMax(best);
        const uint id = subgroupMin(best == top ? bestId : NONE);
        if (subgroupElect()) {
            outIds[outBase + r] = id;
            outValues[outBase + r] = top;
        }
        previousId = id;
        previousValue = top;
    }
}
