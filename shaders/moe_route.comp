// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// MoE routing for one token per workgroup (gemma4-text.md §7): softmax over the
// router logits [tokens, experts], the top-k experts by probability (lowest index on
// ties, as torch.topk), their probabilities renormalised to sum 1, then multiplied by
// the per-expert scale. Writes ids [tokens, k] and weights [tokens, k]; the expert
// kernels read them from here, so no routing decision goes through the host.
#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require

layout(local_size_x_id = 0) in;

layout(std430, binding = 0) readonly buffer Logits { float logits[]; };
layout(std430, binding = 1) readonly buffer Scale { float expertScale[]; };
layout(std430, binding = 2) buffer Ids { uint ids[]; };
layout(std430, binding = 3) buffer Weights { float weights[]; };

// C++: facet::vk::kernels::MoeRoutePush
layout(push_constant) uniform Push {
    uint experts;
    uint k;
} p;

void main()
{
    const uint t = gl_WorkGroupID.x;
    const uint base = t * p.experts;
    const uint lane = gl_LocalInvocationID.x;
    float m = -1.0 / 0.0;
    for (uint e = lane; e < p.experts; e += gl_WorkGroupSize.x)
        m = max(m, logits[base + e]);
    m = subgroupMax(m);
    float sum = 0.0;
    for (uint e = lane; e < p.experts; e += gl_WorkGroupSize.x)
        sum += exp(logits[base + e] - m);
    sum = subgroupAdd(sum);

    // k rounds of "largest not yet taken"; probabilities are monotone in the logits,
    // so comparing logits picks the same experts and ties the same way.
    float chosenSum = 0.0;
    uint previous = 0xFFFFFFFFu;
    float previousLogit = 1.0 / 0.0;
    for (uint r = 0; r < p.k; ++r) {
        float best = -1.0 / 0.0;
        uint bestIndex = 0xFFFFFFFFu;
        for (uint e = lane; e < p.experts; e += gl_WorkGroupSize.x) {
            const float v = logits[base + e];
            // Taken already: larger than the last pick, or equal with a lower index.
            const bool taken = v > previousLogit || (v == previousLogit && e <= previous);
            if (!taken && (v > best || (v == best && e < bestIndex))) {
                best = v;
                bestIndex = e;
            }
        }
        const float top = subgroupMax(best);
        const uint index = subgroupMin(best == top ? bestIndex : 0xFFFFFFFFu);
        const float prob = exp(top - m) / sum;
        if (subgroupElect()) {
            ids[t * p.k + r] = index;
            weights[t * p.k + r] = prob;
        }
        chosenSum += prob;
        previous = index;
        previousLogit = top;
    }
    subgroupMemoryBarrierBuffer();
    if (subgroupElect()) {
        for (uint r = 0; r < p.k; ++r) {
            const uint e = ids[t * p.k + r];
            weights[t * p.k + r] = weights[t * p.k + r] / chosenSum * expertScale[e];
        }
    }
}
