// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Expert projections: for every pair (token t, slot s) routed to expert e,
// Y[pair, r] = dot(W[e, r, :], X[row, :]) where row is t (inputs per token) or the pair
// itself (inputs per pair). Grid: x/y over blocks of ROWS_PER_GROUP rows, z over the
// experts of this weight chunk; a workgroup walks its expert's pairs (moe_group) in
// blocks of PAIRS_PER_GROUP, loading each weight vec4 once per block. Experts nobody
// chose exit at once. W: [experts, rows, cols] in any storage type of common/weights.glsl.
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 1) const uint ROWS_PER_GROUP = 4;
layout(constant_id = 2) const uint PAIRS_PER_GROUP = 8;

#include "common/weights.glsl"
layout(std430, binding = 1) readonly buffer Input { vec4 x[]; };
layout(std430, binding = 2) readonly buffer Offsets { uint offsets[]; };
layout(std430, binding = 3) readonly buffer Order { uint order[]; };
layout(std430, binding = 4) buffer Output { float y[]; };

// C++: facet::vk::kernels::MoeMatmulPush
layout(push_constant) uniform Push {
    uint cols4;
    uint rows;        // rows per expert
    uint firstExpert; // first expert held by this weight chunk
    uint k;           // slots per token
    uint inputPerPair; // 1: X has a row per pair, 0: a row per token
} p;


void main()
{
    const uint local = gl_WorkGroupID.z; // expert index within this chunk
    const uint e = p.firstExpert + local;
    const uint begin = offsets[e];
    const uint end = offsets[e + 1];
    if (begin == end)
        return;
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    if (row0 >= p.rows)
        return;
    for (uint b = begin; b < end; b += PAIRS_PER_GROUP) {
        float acc[ROWS_PER_GROUP * PAIRS_PER_GROUP];
        for (uint q = 0; q < ROWS_PER_GROUP * PAIRS_PER_GROUP; ++q)
            acc[q] = 0.0;
        for (uint i = gl_LocalInvocationID.x; i < p.cols4; i += gl_WorkGroupSize.x) {
            vec4 wv[ROWS_PER_GROUP];
            for (uint r = 0; r < ROWS_PER_GROUP; ++r)
                wv[r] = row0 + r < p.rows ? weights4(local * p.rows + row0 + r, i, p.cols4) : vec4(0.0);
            for (uint j = 0; j < PAIRS_PER_GROUP; ++j) {
                if (b + j < end) {
                    const uint pair = order[b + j];
                    const uint xRow = p.inputPerPair != 0 ? pair : pair / p.k;
                    const vec4 xv = x[xRow * p.cols4 + i];
                    for (uint r = 0; r < ROWS_PER_GROUP; ++r)
                        acc[r * PAIRS_PER_GROUP + j] += dot(wv[r], xv);
                }
            }
        }
        for (uint j = 0; j < PAIRS_PER_GROUP; ++j) {
            for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
                const float s = subgroupAdd(acc[r * PAIRS_PER_GROUP + j]);
                if (subgroupElect() && b + j < end && row0 + r < p.rows)
                    y[order[b + j] * p.rows + row0 + r] = s;
            }
        }
    }
}
