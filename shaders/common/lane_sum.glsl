// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The sum of v over the subgroup's lanes, in every lane, added pairwise by
// subgroupShuffleXor (lanes l ^ lanes/2 first, then l ^ lanes/4, ...): the same tree, so
// the same bits, as store_row_sums.glsl's recursive halving, which prefill and decode
// kernels both rely on (their logits are compared bit for bit). lavapipe runs
// subgroupAdd as a loop over the lanes whose adds wait on each other; a shuffle's lanes
// are independent. Lanes that are not a power of two keep subgroupAdd.

// Whether the lanes pair up by xor (a power of two), for laneSum and store_row_sums.glsl.
bool pairwiseLanes()
{
    const uint lanes = gl_WorkGroupSize.x;
    return (lanes & (lanes - 1u)) == 0u;
}

float laneSum(float v)
{
    const uint lanes = gl_WorkGroupSize.x;
    if (!pairwiseLanes())
        return subgroupAdd(v);
    [[unroll]] for (uint st = 0; st < 7u; ++st) {
        const uint h = lanes >> (st + 1u);
        if (h != 0u)
            v += subgroupShuffleXor(v, h);
    }
    return v;
}
