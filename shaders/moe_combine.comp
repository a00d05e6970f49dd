// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// y[t, j] = sum over slots s of weights[t, s] * expertOut[t * k + s, j]: the routed
// experts' outputs mixed by their router weights.
#version 450

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer ExpertOut { float expertOut[]; };
layout(std430, binding = 1) readonly buffer Weights { float weights[]; };
layout(std430, binding = 2) buffer Y { float y[]; };

// C++: facet::vk::kernels::MoeCombinePush
layout(push_constant) uniform Push {
    uint width;
    uint k;
    uint tokens;
} p;

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.tokens * p.width)
        return;
    const uint t = i / p.width;
    const uint j = i % p.width;
    float acc = 0.0;
    for (uint s = 0; s < p.k; ++s)
        acc += weights[t * p.k + s] * expertOut[(t * p.k + s) * p.width + j];
    y[i] = acc;
}
