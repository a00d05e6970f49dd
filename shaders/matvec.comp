// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Y[t, yOffset + r] = scale * dot(W[r, :], X[t, :]) for the rows r of one chunk of W and
// the tokens t < p.tokens (one token when decoding, a chunk when prefilling).
// W: [rows, cols] row-major (cols a multiple of 4) in any storage type of common/weights.glsl;
// X: [tokens, cols] f32; Y: [tokens, yStride] f32; accumulation in f32.
// One workgroup is one subgroup; it computes ROWS_PER_GROUP rows for TOKENS_PER_GROUP
// tokens, so each weight load serves every token of the block and each X load every
// row (toolchain-notes §3: loads, not bandwidth, bound lavapipe).
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;               // = the device's subgroup size
layout(constant_id = 1) const uint ROWS_PER_GROUP = 4;
layout(constant_id = 2) const uint TOKENS_PER_GROUP = 1;

#include "common/weights.glsl"
layout(std430, binding = 1) readonly buffer Input { vec4 x[]; };
layout(std430, binding = 2) buffer Output { float y[]; };

// C++: facet::vk::kernels::MatvecPush
layout(push_constant) uniform Push {
    uint cols4;   // cols / 4
    uint rows;    // rows in this chunk of W
    uint yOffset; // first output column of this chunk
    float scale;
    uint tokens;
    uint yStride; // output row length (all chunks' rows)
    uint xOffset; // first X element read, in vec4s (a later token's row)
} p;


void main()
{
    // Groups past 65535 wrap into y (262144-row output heads need 65536 groups).
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    const uint t0 = gl_WorkGroupID.z * TOKENS_PER_GROUP;
    float acc[ROWS_PER_GROUP * TOKENS_PER_GROUP];
    for (uint k = 0; k < ROWS_PER_GROUP * TOKENS_PER_GROUP; ++k)
        acc[k] = 0.0;
    for (uint i = gl_LocalInvocationID.x; i < p.cols4; i += gl_WorkGroupSize.x) {
        vec4 wv[ROWS_PER_GROUP];
        for (uint r = 0; r < ROWS_PER_GROUP; ++r)
            wv[r] = row0 + r < p.rows ? weights4(row0 + r, i, p.cols4) : vec4(0.0);
        for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
            if (t0 + t < p.tokens) {
                const vec4 xv = x[p.xOffset + (t0 + t) * p.cols4 + i];
                for (uint r = 0; r < ROWS_PER_GROUP; ++r)
                    acc[r * TOKENS_PER_GROUP + t] += dot(wv[r], xv);
            }
        }
    }
    for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
#define ROW_SUM(r) acc[(r) * TOKENS_PER_GROUP + t]
#define ROW_STORE(r, s) if (row0 + (r) < p.rows && t0 + t < p.tokens) y[(t0 + t) * p.yStride + p.yOffset + row0 + (r)] = (s) * p.scale
#include "common/store_row_sums.glsl"
    }
}
