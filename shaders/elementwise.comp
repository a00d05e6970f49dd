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
#version 450

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) buffer Y { float y[]; };

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

float gelu_tanh(float x)
{
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as PyTorch's gelu(approximate="tanh")
    const float c = 0.7978845608028654;
    const float u = c * (x + 0.044715 * x * x * x);
    return 0.5 * x * (1.0 + tanh(u));
}

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
