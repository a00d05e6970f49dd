// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// y[row, :] = x[row, :] / sqrt(mean(x[row, :]^2) + eps) * w[:]   (w = 1 when hasWeight is 0)
// x, y: [rows, n] row-major f32; w: [n] f32. One workgroup (one subgroup) per row.
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in; // = the device's subgroup size

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) buffer Output { float y[]; };

// C++: facet::vk::kernels::RmsNormPush
layout(push_constant) uniform Push {
    uint n;
    uint rows;
    float eps;
    uint hasWeight;
} p;

void main()
{
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (row >= p.rows)
        return;
    const uint base = row * p.n;
    float ss = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += gl_WorkGroupSize.x)
        ss += x[base + i] * x[base + i];
    const float scale = inversesqrt(subgroupAdd(ss) / float(p.n) + p.eps);
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += gl_WorkGroupSize.x)
        y[base + i] = x[base + i] * scale * (p.hasWeight != 0 ? w[i] : 1.0);
}
