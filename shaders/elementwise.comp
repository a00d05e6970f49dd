// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Element-wise ops on f32 vectors, one variant per OP define:
// a and b may be strided views: element i reads a[(i / width) * aStride + aOffset + i % width]
// and likewise b (one layer's slice of the [tokens, layers * P] PLE inputs, the gate and
// up halves of a fused expert projection, a vector broadcast over tokens); width = n with
// zero strides and offsets reads them plainly.
//   OP_GELU_MUL:   y = gelu_tanh(a) * b          (gated MLP, PLE gate)
//   OP_MUL:        y = a * b * p.scale           (router input scale)
//   OP_ADD_SCALE:  y = (a + b) * p.scale         (residual add, layer scalar)
//   OP_SOFTCAP:    y = p.scale * tanh(a / p.scale)  (final logit soft-cap; b unused)
// TEXELS (CPU devices): a and b read as RGBA32UI texels, four elements a step, each lane
// taking steps across the whole range (a few workgroups, not one per 8 elements: a
// workgroup costs about a microsecond on lavapipe, and a storage load is a per-lane loop).
// Widths, strides and offsets are then multiples of 4, offsets counting from each view's
// first element.
#version 450
#extension GL_GOOGLE_include_directive : require
#if defined(TEXELS)
#extension GL_EXT_samplerless_texture_functions : require
#endif

layout(local_size_x_id = 0) in;

#if defined(TEXELS)
layout(binding = 0) uniform utextureBuffer at;
layout(binding = 1) uniform utextureBuffer bt;
layout(std430, binding = 2) buffer Y { vec4 y4[]; };
#else
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) buffer Y { float y[]; };
#endif

// C++: facet::vk::kernels::ElementwisePush
layout(push_constant) uniform Push {
    uint n;
    float scale;
    uint width;
    uint aStride;
    uint aOffset;
    uint bStride;
    uint bOffset;
} p;

#include "common/gelu.glsl"

#if defined(TEXELS)
vec4 gelu4(vec4 v) { return vec4(gelu_tanh(v.x), gelu_tanh(v.y), gelu_tanh(v.z), gelu_tanh(v.w)); }

void main()
{
    const uint lanes = gl_NumWorkGroups.x * gl_NumWorkGroups.y * gl_WorkGroupSize.x;
    const uint first = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    for (uint i4 = first; i4 < p.n / 4u; i4 += lanes) {
        const uint i = i4 * 4u;
        const uint ai = (i / p.width) * p.aStride + p.aOffset + i % p.width;
        const vec4 a = uintBitsToFloat(texelFetch(at, int(ai >> 2)));
#if defined(OP_SOFTCAP)
        y4[i4] = p.scale * tanh(a / p.scale);
#else
        const uint bi = (i / p.width) * p.bStride + p.bOffset + i % p.width;
        const vec4 b = uintBitsToFloat(texelFetch(bt, int(bi >> 2)));
#if defined(OP_GELU_MUL)
        y4[i4] = gelu4(a) * b;
#elif defined(OP_ADD_SCALE)
        y4[i4] = (a + b) * p.scale;
#elif defined(OP_MUL)
        y4[i4] = a * b * p.scale;
#else
#error "define an OP_"
#endif
#endif
    }
}
#else
void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.n)
        return;
    const uint ai = (i / p.width) * p.aStride + p.aOffset + i % p.width;
    const uint bi = (i / p.width) * p.bStride + p.bOffset + i % p.width;
#if defined(OP_GELU_MUL)
    y[i] = gelu_tanh(a[ai]) * b[bi];
#elif defined(OP_ADD_SCALE)
    y[i] = (a[ai] + b[bi]) * p.scale;
#elif defined(OP_MUL)
    y[i] = a[ai] * b[bi] * p.scale;
#elif defined(OP_SOFTCAP)
    y[i] = p.scale * tanh(a[ai] / p.scale);
#else
#error "define an OP_"
#endif
}
#endif
