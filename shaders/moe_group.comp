// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Groups the (token, slot) pairs of a chunk by expert, so the expert kernels read each
// expert's weights once for all the tokens that chose it: offsets[e] .. offsets[e+1]
// index `order`, which lists pair numbers t * k + slot, tokens ascending within an
// expert. One invocation: the chunk holds at most a few thousand pairs.
#version 450

layout(local_size_x = 1) in;

layout(std430, binding = 0) readonly buffer Ids { uint ids[]; };
layout(std430, binding = 1) buffer Offsets { uint offsets[]; }; // [experts + 1]
layout(std430, binding = 2) buffer Order { uint order[]; };     // [pairs]

// C++: facet::vk::kernels::MoeGroupPush
layout(push_constant) uniform Push {
    uint experts;
    uint pairs;
} p;

void main()
{
    for (uint e = 0; e <= p.experts; ++e)
        offsets[e] = 0;
    for (uint i = 0; i < p.pairs; ++i)
        offsets[ids[i] + 1] += 1;
    for (uint e = 0; e < p.experts; ++e)
        offsets[e + 1] += offsets[e];
    // Fill by walking pairs in order; offsets[e] is used as the cursor, then restored.
    for (uint i = 0; i < p.pairs; ++i) {
        const uint e = ids[i];
        order[offsets[e]] = i;
        offsets[e] += 1;
    }
    for (uint e = p.experts; e > 0; --e)
        offsets[e] = offsets[e - 1];
    offsets[0] = 0;
}
