// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The end of a sublayer in one dispatch (gemma4-text.md §3.1): x = (x + rms_norm(o) * wb)
// * scale, then, where the next sublayer's pre-norm is known, xn = rms_norm(x) * wn. It
// replaces rms_norm.comp, elementwise.comp's ADD_SCALE and rms_norm.comp again, with the
// same arithmetic in the same order (precise: no contraction the separate kernels could
// not do), so results are bit for bit theirs. One subgroup per token row: a dispatch
// costs tens of microseconds on lavapipe, the work here far less.
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in; // = the device's subgroup size

layout(std430, binding = 0) buffer Residual { float x[]; };
layout(std430, binding = 1) readonly buffer Branch { float o[]; };
layout(std430, binding = 2) readonly buffer BranchNorm { float wb[]; };
layout(std430, binding = 3) readonly buffer NextNorm { float wn[]; };
layout(std430, binding = 4) writeonly buffer Normed { float xn[]; };

// C++: facet::vk::kernels::ResidualNormPush
layout(push_constant) uniform Push {
    uint n;
    uint rows;
    float eps;
    float scale;
    uint hasNext;
} p;

void main()
{
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (row >= p.rows)
        return;
    const uint base = row * p.n;
    float ss = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += gl_WorkGroupSize.x)
        ss += o[base + i] * o[base + i];
    const float s = inversesqrt(subgroupAdd(ss) / float(p.n) + p.eps);
    float ss2 = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += gl_WorkGroupSize.x) {
        precise const float b = o[base + i] * s * wb[i];
        precise const float v = (x[base + i] + b) * p.scale;
        x[base + i] = v;
        ss2 += v * v;
    }
    if (p.hasNext == 0u)
        return;
    const float s2 = inversesqrt(subgroupAdd(ss2) / float(p.n) + p.eps);
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += gl_WorkGroupSize.x)
        xn[base + i] = x[base + i] * s2 * wn[i];
}
