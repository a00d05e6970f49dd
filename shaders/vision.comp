// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The small steps of Gemma 4's vision encoder (spec gemma4-multimodal §1.4-1.7), one
// variant per OP:
//   OP_CLAMP      y = clamp(x, lo, hi) (clipped linears' input and output bounds; y may be x)
//   OP_POS_EMBED  h[t] += table[0][x_t] + table[1][y_t] (learned 2-D position rows)
//   OP_ROPE_2D    axial RoPE in place: the first half of each head rotates by the patch's
//                 x, the second by its y, NeoX pairs within each half, base theta
//   OP_SELECT     x[t] = src[t] where flag[t] != 0: soft tokens replace the embeddings of
//                 their placeholder tokens in the decoder's input
//   OP_POOL       y[token] = sqrt(d) * mean of a k×k block of patches (raster order),
//                 then (y - bias) * scale when standardize is set
#version 450

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };     // table, bias
layout(std430, binding = 2) readonly buffer B { float b[]; };     // scale
layout(std430, binding = 3) readonly buffer P { int pos[]; };     // (x, y) per patch
layout(std430, binding = 4) buffer Y { float y[]; };

// C++: facet::vk::kernels::VisionPush
layout(push_constant) uniform Push {
    uint n;        // elements to produce
    uint width;    // d (embed, pool) or head dim (rope)
    uint heads;    // rope
    uint cols;     // patch grid columns (pool), table rows per axis (embed)
    uint k;        // pooling kernel
    float f0;      // lo / theta / output scale
    float f1;      // hi / standardize flag
} p;

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.n)
        return;
#if defined(OP_CLAMP)
    y[i] = clamp(x[i], p.f0, p.f1);
#elif defined(OP_SELECT)
    if (pos[i / p.width] != 0)
        x[i] = a[i];
#elif defined(OP_POS_EMBED)
    const uint t = i / p.width, d = i % p.width;
    const uint px = uint(pos[2 * t]), py = uint(pos[2 * t + 1]);
    x[i] += a[px * p.width + d] + a[(p.cols + py) * p.width + d];
#elif defined(OP_ROPE_2D)
    // i runs over tokens * heads * (hd / 2) pairs: two halves of hd/4 pairs each.
    const uint quarter = p.width / 4;
    const uint pairsPerHead = 2 * quarter;
    const uint th = i / pairsPerHead; // token * heads + head
    const uint t = th / p.heads;
    const uint j = i % pairsPerHead;
    const uint axis = j / quarter;    // 0: x, 1: y
    const uint jj = j % quarter;
    const float invFreq = 1.0 / pow(p.f0, float(2 * jj) / float(2 * quarter));
    const float angle = float(pos[2 * t + axis]) * invFreq;
    const float c = cos(angle), s = sin(angle);
    const uint k0 = th * p.width + axis * 2 * quarter + jj;
    const uint k1 = k0 + quarter;
    const float x0 = x[k0], x1 = x[k1];
    x[k0] = x0 * c - x1 * s;
    x[k1] = x1 * c + x0 * s;
#elif defined(OP_POOL)
    const uint token = i / p.width, d = i % p.width;
    const uint pooledCols = p.cols / p.k;
    const uint gy = token / pooledCols, gx = token % pooledCols;
    float sum = 0.0;
    for (uint dy = 0; dy < p.k; ++dy)
        for (uint dx = 0; dx < p.k; ++dx)
            sum += x[((gy * p.k + dy) * p.cols + gx * p.k + dx) * p.width + d];
    float v = sum / float(p.k * p.k) * p.f0;
    if (p.f1 != 0.0)
        v = (v - a[d]) * b[d];
    y[i] = v;
#endif
}
