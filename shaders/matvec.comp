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


#if defined(TEXELS)
vec4 xAt(uint i) { return uintBitsToFloat(texelFetch(xt, int(i))); }

// dot(W[row, 8i .. 8i+7] or [4i .. 4i+3], x there); xa, xb: x's two vec4s (xb unused for f32).
float texelDot(uint row, uint i, uint texelsPerRow, vec4 xa, vec4 xb)
{
    const uvec4 u = texelFetch(wt, int(row * texelsPerRow + i));
#if defined(W_BF16)
    const vec4 a = uintBitsToFloat(uvec4(u.x << 16, u.x & 0xFFFF0000u, u.y << 16, u.y & 0xFFFF0000u));
    const vec4 b = uintBitsToFloat(uvec4(u.z << 16, u.z & 0xFFFF0000u, u.w << 16, u.w & 0xFFFF0000u));
    return dot(a, xa) + dot(b, xb);
#elif defined(W_F16)
    return dot(vec4(unpackHalf2x16(u.x), unpackHalf2x16(u.y)), xa) + dot(vec4(unpackHalf2x16(u.z), unpackHalf2x16(u.w)), xb);
#else
    return dot(uintBitsToFloat(u), xa);
#endif
}

void main()
{
    const uint row0 = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * ROWS_PER_GROUP;
    const uint texelsPerRow = p.cols4 * 4u / TEXEL_ELEMS;
    // Every token in turn (one group in z): the rows' weights stay in the cache.
    for (uint t0 = gl_WorkGroupID.z * TOKENS_PER_GROUP; t0 < p.tokens; t0 += gl_NumWorkGroups.z * TOKENS_PER_GROUP) {
        float acc[ROWS_PER_GROUP * TOKENS_PER_GROUP];
        for (uint k = 0; k < ROWS_PER_GROUP * TOKENS_PER_GROUP; ++k)
            acc[k] = 0.0;
        for (uint i = gl_LocalInvocationID.x; i < texelsPerRow; i += gl_WorkGroupSize.x) {
            for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
                if (t0 + t >= p.tokens)
                    break;
                const uint xi = p.xOffset + (t0 + t) * p.cols4 + i * (TEXEL_ELEMS / 4u);
                const vec4 xa = xAt(xi), xb = TEXEL_ELEMS == 8u ? xAt(xi + 1u) : vec4(0.0);
                for (uint r = 0; r < ROWS_PER_GROUP; ++r)
                    if (row0 + r < p.rows)
                        acc[r * TOKENS_PER_GROUP + t] += texelDot(row0 + r, i, texelsPerRow, xa, xb);
            }
        }
        for (uint t = 0; t < TOKENS_PER_GROUP; ++t) {
#define ROW_SUM(r) acc[(r) * TOKENS_PER_GROUP + t]
#define ROW_STORE(r, s) if (row0 + (r) < p.rows && t0 + t < p.tokens) y[(t0 + t) * p.yStride + p.yOffset + row0 + (r)] = (s) * p.scale
#include "common/store_row_sums.glsl"
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
