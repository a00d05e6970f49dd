// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The steps of Gemma 4's audio encoder that the shared kernels do not cover (spec
// gemma4-multimodal §2.3-2.5), one variant per OP; one invocation per output element
// unless said otherwise:
//   OP_CONV2D      y[t, f, co] = sum over ci, 3x3 of w[co, ci, ky, kx] * x[2t-1+ky, 2f-1+kx, ci]
//                  (stride 2, zero padding 1); input rows whose flag is 0 read as zero,
//                  which is how the subsampler masks padded time steps
//   OP_LN_RELU     per row of C channels, in place: relu(LayerNorm(x) * w), LayerNorm
//                  without bias (mean removed, biased variance); one invocation per row
//   OP_SILU        x = x * sigmoid(x), in place
//   OP_GLU         y[t, c] = x[t, c] * sigmoid(x[t, d + c]) for x [T, 2d]
//   OP_DWCONV      y[t, c] = sum_k w[c, k] * x[t - K + 1 + k, c], causal (zeros before 0)
//   OP_LOCAL_ATTN  per (token, head): q' = q * qscale; over the keys u = t-W+1 .. t,
//                  s = cap * tanh((q'.k_u * kscale + q'.R[t-u]) / cap); out = softmax(s) . V
//                  (R: the relative position keys by distance, [W, heads * hd])
#version 450

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };   // weights / k
layout(std430, binding = 2) readonly buffer B { float b[]; };   // v
layout(std430, binding = 3) readonly buffer C { float c[]; };   // relative keys
layout(std430, binding = 4) readonly buffer D { float dd[]; };  // q scale
layout(std430, binding = 5) readonly buffer F { int flag[]; };  // valid input rows
layout(std430, binding = 6) buffer Y { float y[]; };

// C++: facet::vk::kernels::AudioPush
layout(push_constant) uniform Push {
    uint n;   // invocations that produce something
    uint a0, a1, a2, a3, a4;
    float f0, f1;
} p;

const uint MAX_WINDOW = 32;

float sigmoid(float v) { return 1.0 / (1.0 + exp(-v)); }

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.n)
        return;
#if defined(OP_CONV2D)
    // a0 = input rows, a1 = input columns, a2 = input channels, a3 = output columns, a4 = output channels
    const uint co = i % p.a4, f = (i / p.a4) % p.a3, t = i / (p.a4 * p.a3);
    float sum = 0.0;
    for (uint ky = 0; ky < 3; ++ky) {
        const int ti = int(2 * t + ky) - 1;
        if (ti < 0 || ti >= int(p.a0) || flag[ti] == 0)
            continue;
        for (uint kx = 0; kx < 3; ++kx) {
            const int fi = int(2 * f + kx) - 1;
            if (fi < 0 || fi >= int(p.a1))
                continue;
            const uint xBase = (uint(ti) * p.a1 + uint(fi)) * p.a2;
            const uint wBase = co * p.a2 * 9 + ky * 3 + kx;
            for (uint ci = 0; ci < p.a2; ++ci)
                sum += a[wBase + ci * 9] * x[xBase + ci];
        }
    }
    y[i] = sum;
#elif defined(OP_LN_RELU)
    // a0 = channels, f0 = eps
    const uint base = i * p.a0;
    float mean = 0.0;
    for (uint k = 0; k < p.a0; ++k)
        mean += x[base + k];
    mean /= float(p.a0);
    float var = 0.0;
    for (uint k = 0; k < p.a0; ++k) {
        const float d = x[base + k] - mean;
        var += d * d;
    }
    const float inv = inversesqrt(var / float(p.a0) + p.f0);
    for (uint k = 0; k < p.a0; ++k)
        x[base + k] = max((x[base + k] - mean) * inv * a[k], 0.0);
#elif defined(OP_SILU)
    x[i] = x[i] * sigmoid(x[i]);
#elif defined(OP_GLU)
    // a0 = d
    const uint t = i / p.a0, ch = i % p.a0;
    y[i] = x[t * 2 * p.a0 + ch] * sigmoid(x[t * 2 * p.a0 + p.a0 + ch]);
#elif defined(OP_DWCONV)
    // a0 = d, a1 = kernel
    const uint t = i / p.a0, ch = i % p.a0;
    float sum = 0.0;
    for (uint k = 0; k < p.a1; ++k) {
        const int ts = int(t + k) - int(p.a1 - 1);
        if (ts >= 0)
            sum += a[ch * p.a1 + k] * x[uint(ts) * p.a0 + ch];
    }
    y[i] = sum;
#elif defined(OP_LOCAL_ATTN)
    // a0 = heads, a1 = hd, a2 = window, f0 = k scale, f1 = soft cap; x = q, a = k, b = v
    const uint t = i / p.a0, h = i % p.a0;
    const uint width = p.a0 * p.a1;
    const uint qBase = t * width + h * p.a1;
    const uint first = t + 1 > p.a2 ? t + 1 - p.a2 : 0;
    float s[MAX_WINDOW];
    float m = -1.0 / 0.0;
    for (uint u = first; u <= t; ++u) {
        const uint kBase = u * width + h * p.a1;
        const uint rBase = (t - u) * width + h * p.a1;
        float content = 0.0, position = 0.0;
        for (uint d = 0; d < p.a1; ++d) {
            const float q = x[qBase + d] * dd[d];
            content += q * a[kBase + d];
            position += q * c[rBase + d];
        }
        const float v = p.f1 * tanh((content * p.f0 + position) / p.f1);
        s[u - first] = v;
        m = max(m, v);
    }
    float l = 0.0;
    for (uint u = first; u <= t; ++u) {
        s[u - first] = exp(s[u - first] - m);
        l += s[u - first];
    }
    for (uint d = 0; d < p.a1; ++d) {
        float acc = 0.0;
        for (uint u = first; u <= t; ++u)
            acc += s[u - first] * b[u * width + h * p.a1 + d];
        y[qBase + d] = acc / l;
    }
#else
#error "define an OP_"
#endif
}
