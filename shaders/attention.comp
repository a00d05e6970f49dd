// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Attention for the query tokens pos0 .. pos0+tokens-1 (one when decoding): for each
// query head, softmax(q · K^T * scale) over the visible keys, times V. Token t at
// position P sees positions 0..P on global layers (window 0) and P-window+1..P on
// sliding ones; position k sits in cache slot k % capacity. Query head h reads KV head
// h / (heads / kvHeads). One workgroup (one subgroup) per (head, token); each lane owns
// hd / subgroup of the dimensions and the softmax runs online (one pass over K and V).
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_EXT_shader_16bit_storage : enable
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : enable

layout(local_size_x_id = 0) in;

const uint MAX_PER_LANE = 64; // hd <= 64 * subgroup size (512 needs 8 lanes)

layout(std430, binding = 0) readonly buffer Q { float q[]; };
#if defined(KV_F16)
layout(std430, binding = 1) readonly buffer KC { float16_t kc[]; };
layout(std430, binding = 2) readonly buffer VC { float16_t vc[]; };
#else
layout(std430, binding = 1) readonly buffer KC { float kc[]; };
layout(std430, binding = 2) readonly buffer VC { float vc[]; };
#endif
layout(std430, binding = 3) buffer O { float o[]; };
// With p.groups: per query token, the last position it may see (an image's last token
// for its own tokens, so they see each other; its own position otherwise).
layout(std430, binding = 4) readonly buffer G { int groupLast[]; };

// C++: facet::vk::kernels::AttentionPush
layout(push_constant) uniform Push {
    uint heads;
    uint kvHeads;
    uint hd;
    uint capacity;
    uint pos0;
    uint window; // 0: global (causal over everything)
    float scale;
    uint queryStep; // 1: token t is at pos0 + t; 0: every token sees all keys up to pos0 (bidirectional)
    uint groups;    // 1: groupLast extends what a query sees (an image in a sliding layer)
} p;

void main()
{
    const uint h = gl_WorkGroupID.x;
    const uint t = gl_WorkGroupID.y;
    const uint own = p.pos0 + t * p.queryStep;
    // The window counts back from the query's own position; an image's tokens may also
    // see the later tokens of the same image (transformers: the window bounds only the past).
    const uint last = p.groups != 0 ? max(own, uint(groupLast[t])) : own;
    const uint first = p.window != 0 && own + 1 > p.window ? own + 1 - p.window : 0;
    const uint qBase = (t * p.heads + h) * p.hd;
    const uint lane = gl_LocalInvocationID.x;
    const uint lanes = gl_WorkGroupSize.x;
    const uint kvh = h / (p.heads / p.kvHeads);
    const uint width = p.kvHeads * p.hd;

    float qv[MAX_PER_LANE];
    float acc[MAX_PER_LANE];
    uint nd = 0;
    for (uint d = lane; d < p.hd; d += lanes) {
        qv[nd] = q[qBase + d];
        acc[nd] = 0.0;
        ++nd;
    }
    float m = -1.0 / 0.0;
    float l = 0.0;
    for (uint pos = first; pos <= last; ++pos) {
        const uint base = (pos % p.capacity) * width + kvh * p.hd;
        float part = 0.0;
        uint k = 0;
        for (uint d = lane; d < p.hd; d += lanes)
            part += qv[k++] * float(kc[base + d]);
        const float s = subgroupAdd(part) * p.scale;
        const float mNew = max(m, s);
        const float corr = exp(m - mNew);
        const float e = exp(s - mNew);
        l = l * corr + e;
        k = 0;
        for (uint d = lane; d < p.hd; d += lanes) {
            acc[k] = acc[k] * corr + e * float(vc[base + d]);
            ++k;
        }
        m = mNew;
    }
    uint k = 0;
    for (uint d = lane; d < p.hd; d += lanes)
        o[qBase + d] = acc[k++] / l;
}
