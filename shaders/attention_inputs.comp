// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// A cache-writing layer's attention inputs in one dispatch (gemma4-text.md §4): Q's and
// K's per-head RMS norms and RoPE (rope.comp's NORM arithmetic, common/rope_pair.glsl), V's RMS norm without
// weight, and K, V written into the cache ([capacity, kvHeads * hd], position p in slot
// p % capacity). On lavapipe a dispatch costs about 65 us whatever its work, about
// what these four together do.
// One subgroup per row: rows 0 .. tokens*heads-1 are Q's (rotated in place), the next
// tokens*kvHeads are K's and V's (read from k and v, written only to the cache).
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_EXT_shader_16bit_storage : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) buffer Q { float q[]; };
layout(std430, binding = 1) readonly buffer QNorm { float qw[]; };
layout(std430, binding = 2) readonly buffer K { float k[]; };
layout(std430, binding = 3) readonly buffer KNorm { float kw[]; };
layout(std430, binding = 4) readonly buffer V { float v[]; };
#if defined(KV_F16)
layout(std430, binding = 5) buffer KC { float16_t kc[]; };
layout(std430, binding = 6) buffer VC { float16_t vc[]; };
#else
layout(std430, binding = 5) buffer KC { float kc[]; };
layout(std430, binding = 6) buffer VC { float vc[]; };
#endif

// C++: facet::vk::kernels::AttentionInputsPush
layout(push_constant) uniform Push {
    uint heads;
    uint kvHeads;
    uint hd;
    uint rotPairs;
    uint pos0;
    float theta;
    uint tokens;
    float positionScale; // linear RoPE scaling: 1 / factor
    float eps;
    uint capacity;  // cache slots: position p goes to slot p % capacity
    uint normV;     // 1: V's RMS norm (without weight); 0: V as projected
} p;

float rowScale(float ss) { return inversesqrt(subgroupAdd(ss) / float(p.hd) + p.eps); }

#include "common/rope_pair.glsl"

void main()
{
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    const uint qRows = p.tokens * p.heads;
    if (row >= qRows + p.tokens * p.kvHeads)
        return;
    const uint half_ = p.hd / 2, lane = gl_LocalInvocationID.x, step = gl_WorkGroupSize.x;
    if (row < qRows) {
        const uint base = row * p.hd, pos = p.pos0 + row / p.heads;
        float ss = 0.0;
        for (uint i = lane; i < p.hd; i += step)
            ss += q[base + i] * q[base + i];
        const float scale = rowScale(ss);
        for (uint j = lane; j < half_; j += step) {
            precise float x0 = q[base + j] * scale * qw[j];
            precise float x1 = q[base + j + half_] * scale * qw[j + half_];
            ropePair(x0, x1, j, pos, p.hd, p.rotPairs, p.theta, p.positionScale);
            q[base + j] = x0;
            q[base + j + half_] = x1;
        }
        return;
    }
    const uint kr = row - qRows; // token * kvHeads + head
    const uint base = kr * p.hd, t = kr / p.kvHeads, pos = p.pos0 + t;
    const uint dst = (pos % p.capacity) * (p.kvHeads * p.hd) + (kr % p.kvHeads) * p.hd;
    float vScale = 1.0;
    if (p.normV != 0u) {
        float ss = 0.0;
        for (uint i = lane; i < p.hd; i += step)
            ss += v[base + i] * v[base + i];
        vScale = rowScale(ss);
    }
    for (uint i = lane; i < p.hd; i += step) {
        const float o = v[base + i] * vScale;
#if defined(KV_F16)
        vc[dst + i] = float16_t(o);
#else
        vc[dst + i] = o;
#endif
    }
    float ss = 0.0;
    for (uint i = lane; i < p.hd; i += step)
        ss += k[base + i] * k[base + i];
    const float scale = rowScale(ss);
    for (uint j = lane; j < half_; j += step) {
        precise float x0 = k[base + j] * scale * kw[j];
        precise float x1 = k[base + j + half_] * scale * kw[j + half_];
        ropePair(x0, x1, j, pos, p.hd, p.rotPairs, p.theta, p.positionScale);
#if defined(KV_F16)
        kc[dst + j] = float16_t(x0);
        kc[dst + j + half_] = float16_t(x1);
#else
        kc[dst + j] = x0;
        kc[dst + j + half_] = x1;
#endif
    }
}
