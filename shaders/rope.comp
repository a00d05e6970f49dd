// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Rotate-half (NeoX) RoPE in place on x: [tokens, heads, hd] f32, token t at pos0 + t.
// Pair j (j < hd/2) is (x[j], x[j + hd/2]) with angle pos * theta^(-2j/hd) for
// j < rotPairs; pairs from rotPairs on are left alone (Gemma 4 proportional RoPE on
// global layers rotates only the first quarter; the exponent keeps the full hd).
#version 450

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) buffer X { float x[]; };

// C++: facet::vk::kernels::RopePush
layout(push_constant) uniform Push {
    uint heads;
    uint hd;
    uint rotPairs;
    uint pos0;
    float theta;
    uint tokens;
    float positionScale; // linear RoPE scaling: 1 / factor
} p;

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    const uint half_ = p.hd / 2;
    if (i >= p.tokens * p.heads * half_)
        return;
    const uint h = i / half_; // token * heads + head
    const uint pos = p.pos0 + i / (p.heads * half_);
    const uint j = i % half_;
    if (j >= p.rotPairs)
        return;
    // Angle in double-free f32 as transformers computes it: inv_freq = 1 / theta^(2j/hd).
    const float invFreq = 1.0 / pow(p.theta, float(2 * j) / float(p.hd));
    const float angle = float(pos) * p.positionScale * invFreq;
    const float c = cos(angle);
    const float s = sin(angle);
    const uint k0 = h * p.hd + j;
    const uint k1 = k0 + half_;
    const float x0 = x[k0];
    const float x1 = x[k1];
    x[k0] = x0 * c - x1 * s;
    x[k1] = x1 * c + x0 * s;
}
