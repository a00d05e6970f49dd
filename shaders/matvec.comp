// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// y[yOffset + r] = scale * dot(W[r, :], x) for the rows r of one chunk of W.
// W: [rows, cols] row-major (cols a multiple of 4) in f32, f16 or bf16 (W_F16 / W_BF16),
// x: [cols] f32, y: f32; accumulation in f32.
// One workgroup is one subgroup and computes ROWS_PER_GROUP rows, so each x load is
// reused across those rows and the sum needs no shared memory (toolchain-notes §3).
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;               // = the device's subgroup size
layout(constant_id = 1) const uint ROWS_PER_GROUP = 4;

#if defined(W_F16) || defined(W_BF16)
layout(std430, binding = 0) readonly buffer Weights { uvec2 w[]; }; // 4 elements per uvec2
#else
layout(std430, binding = 0) readonly buffer Weights { vec4 w[]; };
#endif
layout(std430, binding = 1) readonly buffer Input { vec4 x[]; };
layout(std430, binding = 2) buffer Output { float y[]; };

// C++: facet::vk::kernels::MatvecPush
layout(push_constant) uniform Push {
    uint cols4;   // cols / 4
    uint rows;    // rows in this chunk
    uint yOffset; // first output element of this chunk
    float scale;
} p;

vec4 weights(uint i)
{
#if defined(W_F16)
    const uvec2 u = w[i];
    return vec4(unpackHalf2x16(u.x), unpackHalf2x16(u.y));
#elif defined(W_BF16)
    const uvec2 u = w[i];
    return vec4(uintBitsToFloat(u.x << 16), uintBitsToFloat(u.x & 0xFFFF0000u),
                uintBitsToFloat(u.y << 16), uintBitsToFloat(u.y & 0xFFFF0000u));
#else
    return w[i];
#endif
}

void main()
{
    // Groups past 65535 wrap into y (262144-row output heads need 65536 groups).
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    float acc[ROWS_PER_GROUP];
    for (uint r = 0; r < ROWS_PER_GROUP; ++r)
        acc[r] = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.cols4; i += gl_WorkGroupSize.x) {
        const vec4 xv = x[i];
        for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
            if (row0 + r < p.rows)
                acc[r] += dot(weights((row0 + r) * p.cols4 + i), xv);
        }
    }
    for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
        const float s = subgroupAdd(acc[r]);
        if (subgroupElect() && row0 + r < p.rows)
            y[p.yOffset + row0 + r] = s * p.scale;
    }
}
