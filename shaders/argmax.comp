// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Index of the largest of n f32 values (the lowest index on ties, as numpy and
// PyTorch report it). One workgroup of one subgroup; the host reads back one uint.
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) buffer R { uint result[]; };

// C++: facet::vk::kernels::ArgmaxPush
layout(push_constant) uniform Push {
    uint n;
    uint offset; // first element of the row
} p;

void main()
{
    float best = -1.0 / 0.0;
    uint bestIndex = 0xFFFFFFFFu;
    for (uint i = gl_LocalInvocationID.x; i < p.n; i += gl_WorkGroupSize.x) {
        if (x[p.offset + i] > best) {
            best = x[p.offset + i];
            bestIndex = i;
        }
    }
    const float top = subgroupMax(best);
    const uint index = subgroupMin(best == top ? bestIndex : 0xFFFFFFFFu);
    if (subgroupElect())
        result[0] = index;
}
