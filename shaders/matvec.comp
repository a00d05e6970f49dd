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
#extension GL_KHR_shader_subgroup_shuffle : require
#extension GL_EXT_control_flow_attributes : require
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;               // = the device's subgroup size
layout(constant_id = 1) const uint ROWS_PER_GROUP = 4;
layout(constant_id = 2) const uint TOKENS_PER_GROUP = 1;

#if defined(TEXELS)
// CPU devices (f32, f16, bf16): weights and x read as RGBA32UI texels, a texel fetch being
// branch-free vector code on lavapipe where a storage-buffer load is a loop over the
// lanes (as in matvec_kquant.comp). A lane takes one texel of W at a time: 4 f32 or 8
// 16-bit elements.
#extension GL_EXT_samplerless_texture_functions : require
layout(binding = 0) uniform utextureBuffer wt;
layout(binding = 1) uniform utextureBuffer xt;
#if defined(W_F16) || defined(W_BF16)
const uint TEXEL_ELEMS = 8u;
#else
const uint TEXEL_ELEMS = 4u;
#endif
#else
#include "common/weights.glsl"
layout(std430, binding = 1) readonly buffer Input { vec4 x[]; };
#endif
layout(std430, binding = 2) buffer Output { float y[]; };

#include "common/lane_sum.glsl"

// C++: facet::vk::kernels::MatvecPush
layout(push_constant) uniform Push {
    uint cols4;   // cols / 4
    uint rows;    // rows in this chunk of W
    uint yOffset; // first output column of this chunk
    float scale;
    uint tokens;
    uint yStride; // output row length (all chunks' rows)
    uint xOffset; // first X element read, in vec4s (a later token's row)
    uint gateOffset; // matvec_kquant.comp's GATED only
    uint gateStride;
} p;


#if defined(TEXELS)
vec4 xAt(uint i) { return uintBitsToFloat(texelFetch(xt, int(i))); }

// W[row, 8i .. 8i+7] (16-bit types) or W[row, 4i .. 4i+3] (f32) as two vec4s (b: zero for f32).
void texelWeights(uint row, uint i, uint texelsPerRow, out vec4 a, out vec4 b)
{
    const uvec4 u = texelFetch(wt, int(row * texelsPerRow + i));
#if defined(W_BF16)
    a = uintBitsToFloat(uvec4(u.x << 16, u.x & 0xFFFF0000u, u.y << 16, u.y & 0xFFFF0000u));
    b = uintBitsToFloat(uvec4(u.z << 16, u.z & 0xFFFF0000u, u.w << 16, u.w & 0xFFFF0000u));
#elif defined(W_F16)
    a = vec4(unpackHalf2x16(u.x), unpackHalf2x16(u.y));
    b = vec4(unpackHalf2x16(u.z), unpackHalf2x16(u.w));
#else
    a = uintBitsToFloat(u);
    b = vec4(0.0);
#endif
}

// Prefill takes rows a few at a time: their sums for every token stay in registers (32),
// where one array over all the workgroup's rows and tokens is memory (a loop over rows
// indexes it): bf16 6144x1536 at 64 tokens 97 -> 60 ms, f32 178 -> 75 ms. Decode keeps
// that array: all 32 rows per x texel measured faster than blocks of 4 to 32 rows.
const uint ROW_BLOCK = (32u + TOKENS_PER_GROUP - 1u) / TOKENS_PER_GROUP; // at least 1

void main()
{
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    const uint texelsPerRow = p.cols4 * 4u / TEXEL_ELEMS;
    const uint lanes = gl_WorkGroupSize.x, lane = gl_LocalInvocationID.x;
    if (TOKENS_PER_GROUP == 1u) {
        float acc[ROWS_PER_GROUP];
        for (uint r = 0; r < ROWS_PER_GROUP; ++r)
            acc[r] = 0.0;
        for (uint i = lane; i < texelsPerRow; i += lanes) {
            const uint xi = p.xOffset + i * (TEXEL_ELEMS / 4u);
            const vec4 xa = xAt(xi), xb = TEXEL_ELEMS == 8u ? xAt(xi + 1u) : vec4(0.0);
            for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
                if (row0 + r < p.rows) {
                    vec4 a, b;
                    texelWeights(row0 + r, i, texelsPerRow, a, b);
                    acc[r] += TEXEL_ELEMS == 8u ? dot(a, xa) + dot(b, xb) : dot(a, xa);
                }
            }
        }
#define ROW_SUM(r) acc[r]
#define ROW_STORE(r, s) if (row0 + (r) < p.rows) y[p.yOffset + row0 + (r)] = (s) * p.scale
#include "common/store_row_sums.glsl"
        return;
    }
    // Every token group in turn (one group in z): the rows' weights stay in the cache.
    for (uint t0 = gl_WorkGroupID.z * TOKENS_PER_GROUP; t0 < p.tokens; t0 += gl_NumWorkGroups.z * TOKENS_PER_GROUP) {
        for (uint rb = row0; rb < min(row0 + ROWS_PER_GROUP, p.rows); rb += ROW_BLOCK) {
            float acc[ROW_BLOCK * TOKENS_PER_GROUP];
            [[unroll]] for (uint k = 0; k < ROW_BLOCK * TOKENS_PER_GROUP; ++k)
                acc[k] = 0.0;
            for (uint i = lane; i < texelsPerRow; i += lanes) {
                // x of every token first: each weight texel is then fetched once for all.
                vec4 xa[TOKENS_PER_GROUP], xb[TOKENS_PER_GROUP];
                [[unroll]] for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
                    const bool live = t0 + t < p.tokens;
                    const uint xi = p.xOffset + (live ? t0 + t : t0) * p.cols4 + i * (TEXEL_ELEMS / 4u);
                    xa[t] = live ? xAt(xi) : vec4(0.0);
                    xb[t] = live && TEXEL_ELEMS == 8u ? xAt(xi + 1u) : vec4(0.0);
                }
                [[unroll]] for (uint r = 0; r < ROW_BLOCK; ++r) {
                    vec4 a = vec4(0.0), b = vec4(0.0);
                    if (rb + r < p.rows)
                        texelWeights(rb + r, i, texelsPerRow, a, b);
                    [[unroll]] for (uint t = 0; t < TOKENS_PER_GROUP; ++t)
                        acc[r * TOKENS_PER_GROUP + t] += TEXEL_ELEMS == 8u ? dot(a, xa[t]) + dot(b, xb[t]) : dot(a, xa[t]);
                }
            }
            // Sum j (row r, token t) is stored by lane j % lanes: one store per lane, not a
            // store per sum from one lane (common/store_row_sums.glsl says why).
            [[unroll]] for (uint j = 0; j < ROW_BLOCK * TOKENS_PER_GROUP; ++j) {
                const float total = laneSum(acc[j]); // decode's tree (store_row_sums.glsl)
                const uint r = j / TOKENS_PER_GROUP, t = j % TOKENS_PER_GROUP;
                if (j % lanes == lane && rb + r < p.rows && t0 + t < p.tokens)
                    y[(t0 + t) * p.yStride + p.yOffset + rb + r] = total * p.scale;
            }
        }
    }
}
#else
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
#endif
