// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Rotate-half (NeoX) RoPE in place on x: [tokens, heads, hd] f32, token t at pos0 + t.
// Pair j (j < hd/2) is (x[j], x[j + hd/2]) with angle pos * theta^(-2j/hd) for
// j < rotPairs; pairs from rotPairs on are left alone (Gemma 4 proportional RoPE on
// global layers rotates only the first quarter; the exponent keeps the full hd).
#version 450
#extension GL_KHR_shader_subgroup_basic : enable
#extension GL_KHR_shader_subgroup_arithmetic : enable
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) buffer X { float x[]; };
#if defined(NORM)
layout(std430, binding = 1) readonly buffer W { float w[]; };
#endif

// C++: facet::vk::kernels::RopePush
layout(push_constant) uniform Push {
    uint heads;
    uint hd;
    uint rotPairs;
    uint pos0;
    float theta;
    uint tokens;
    float positionScale; // linear RoPE scaling: 1 / factor
#if defined(NORM)
    float eps;
    uint hasWeight;
#endif
} p;

#include "common/rope_pair.glsl"

#if defined(NORM)
// The per-head RMS norm (rms_norm.comp's arithmetic) and then the rotation, in one
// dispatch: one subgroup per (token, head) row, each lane taking pairs j and j + hd/2.
void main()
{
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x; // token * heads + head
    if (row >= p.tokens * p.heads)
        return;
    const uint base = row * p.hd, half_ = p.hd / 2;
    float ss = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.hd; i += gl_WorkGroupSize.x)
        ss += x[base + i] * x[base + i];
    const float scale = inversesqrt(subgroupAdd(ss) / float(p.hd) + p.eps);
    const uint pos = p.pos0 + row / p.heads;
    for (uint j = gl_LocalInvocationID.x; j < half_; j += gl_WorkGroupSize.x) {
        precise float x0 = x[base + j] * scale * (p.hasWeight != 0 ? w[j] : 1.0);
        precise float x1 = x[base + j + half_] * scale * (p.hasWeight != 0 ? w[j + half_] : 1.0);
        ropePair(x0, x1, j, pos, p.hd, p.rotPairs, p.theta, p.positionScale);
        x[base + j] = x0;
        x[base + j + half_] = x1;
    }
}
#else
void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    const uint half_ = p.hd / 2;
    if (i >= p.tokens * p.heads * half_)
        return;
    const uint h = i / half_; // token * heads + head
    const uint pos = p.pos0 + i / (p.heads * half_);
    const uint j = i % half_;
    if (j >= p.rotPairs)
        return;
    const uint k0 = h * p.hd + j;
    const uint k1 = k0 + half_;
    float x0 = x[k0], x1 = x[k1];
    ropePair(x0, x1, j, pos, p.hd, p.rotPairs, p.theta, p.positionScale);
    x[k0] = x0;
    x[k1] = x1;
}
#endif
