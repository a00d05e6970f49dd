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
#extension GL_EXT_control_flow_attributes : require
#if defined(TEXELS)
#extension GL_EXT_samplerless_texture_functions : require
#endif

layout(local_size_x_id = 0) in;

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

#if defined(TEXELS)
// CPU devices, an f16 cache: each cached row of HD halves is HD / 8 RGBA32UI texels, and
// lane l owns texels l, l + lanes, ...: its queries, partial dots and outputs sit in
// registers at indices known when the pipeline is made (HD is a specialization constant).
layout(constant_id = 1) const uint HD = 256;
const uint PER_LANE = HD / 8u / gl_WorkGroupSize.x; // texels a lane owns in a row

layout(std430, binding = 0) readonly buffer Q { vec4 q4[]; };
layout(binding = 1) uniform utextureBuffer kt;
layout(binding = 2) uniform utextureBuffer vt;
layout(std430, binding = 3) buffer O { vec4 o4[]; };
layout(std430, binding = 4) readonly buffer G { int groupLast[]; };

vec4 halves(uvec2 w) { return vec4(unpackHalf2x16(w.x), unpackHalf2x16(w.y)); }

void main()
{
    const uint h = gl_WorkGroupID.x;
    const uint t = gl_WorkGroupID.y;
    const uint own = p.pos0 + t * p.queryStep;
    const uint last = p.groups != 0 ? max(own, uint(groupLast[t])) : own;
    const uint first = p.window != 0 && own + 1 > p.window ? own + 1 - p.window : 0;
    const uint lane = gl_LocalInvocationID.x;
    const uint lanes = gl_WorkGroupSize.x;
    const uint kvh = h / (p.heads / p.kvHeads);
    const uint qBase4 = (t * p.heads + h) * (HD / 4u);
    vec4 qv[PER_LANE][2], acc[PER_LANE][2];
    [[unroll]] for (uint j = 0; j < PER_LANE; ++j) {
        const uint tx = j * lanes + lane;
        qv[j][0] = q4[qBase4 + 2u * tx];
        qv[j][1] = q4[qBase4 + 2u * tx + 1u];
        acc[j][0] = vec4(0.0);
        acc[j][1] = vec4(0.0);
    }
    float m = -1.0 / 0.0;
    float l = 0.0;
    for (uint pos = first; pos <= last; ++pos) {
        const uint row = ((pos % p.capacity) * p.kvHeads + kvh) * (HD / 8u);
        float part = 0.0;
        [[unroll]] for (uint j = 0; j < PER_LANE; ++j) {
            const uvec4 kw = texelFetch(kt, int(row + j * lanes + lane));
            part += dot(qv[j][0], halves(kw.xy)) + dot(qv[j][1], halves(kw.zw));
        }
        const float s = subgroupAdd(part) * p.scale;
        const float mNew = max(m, s);
        const float corr = exp(m - mNew);
        const float e = exp(s - mNew);
        l = l * corr + e;
        [[unroll]] for (uint j = 0; j < PER_LANE; ++j) {
            const uvec4 vw = texelFetch(vt, int(row + j * lanes + lane));
            acc[j][0] = acc[j][0] * corr + e * halves(vw.xy);
            acc[j][1] = acc[j][1] * corr + e * halves(vw.zw);
        }
        m = mNew;
    }
    [[unroll]] for (uint j = 0; j < PER_LANE; ++j) {
        const uint tx = j * lanes + lane;
        o4[qBase4 + 2u * tx] = acc[j][0] / l;
        o4[qBase4 + 2u * tx + 1u] = acc[j][1] / l;
    }
}
#else
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
#endif
