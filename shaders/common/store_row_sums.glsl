// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Included inside a mat-vec's main(), whose workgroup is one subgroup: adds each of
// ROWS_PER_GROUP rows' partial sums over the lanes and hands each row's total to one
// lane, which stores it. The includer defines ROW_SUM(r), this lane's partial sum of
// row r, and ROW_STORE(r, s), which writes total s of row r where it exists.
//
// Where the rows are a multiple of the (power-of-two) lanes, by recursive halving with
// subgroupShuffleXor: log2(lanes) steps of rows/2, rows/4, ... shuffles, each row added
// in common/lane_sum.glsl's tree. lavapipe runs subgroupAdd as a loop over the lanes
// whose adds wait on each other; a shuffle's lanes are independent. 56 shuffles instead
// of 64 subgroupAdds for 64 rows of 8 lanes made 6144x1536 Q4_K about 10 % faster in
// decode and 10-15 % in prefill (facet-kernel-bench, session 16). Other row counts take
// laneSum() per row. The includer includes common/lane_sum.glsl.
//
// Why not one store per row from an elected lane: a store is a loop over the active
// lanes on a CPU device, and 32 of them with one lane each cost as much as the rows'
// whole dot products where rows are short (E2B's 1536 columns: about 30 %). The
// workgroup size is a specialisation constant, so the indices fold.
{
    const uint lanes = gl_WorkGroupSize.x, lane = gl_LocalInvocationID.x;
    if (ROWS_PER_GROUP % lanes == 0u && pairwiseLanes()) {
        // Recursive halving: at each step a lane keeps half its rows and adds its partner's
        // sums of them (subgroupShuffleXor), so lane l ends with rows m l .. m l + m - 1.
        float a[ROWS_PER_GROUP];
        [[unroll]] for (uint r = 0; r < ROWS_PER_GROUP; ++r)
            a[r] = ROW_SUM(r);
        [[unroll]] for (uint st = 0; st < 7u; ++st) {
            const uint h = lanes >> (st + 1u), span = ROWS_PER_GROUP >> (st + 1u);
            if (h != 0u) {
                const bool upper = (lane & h) != 0u;
                [[unroll]] for (uint i = 0; i < ROWS_PER_GROUP / 2u; ++i) {
                    if (i < span) {
                        const float keep = upper ? a[span + i] : a[i], send = upper ? a[i] : a[span + i];
                        a[i] = keep + subgroupShuffleXor(send, h);
                    }
                }
            }
        }
        const uint m = ROWS_PER_GROUP / lanes;
        [[unroll]] for (uint i = 0; i < ROWS_PER_GROUP; ++i)
            if (i < m)
                ROW_STORE(m * lane + i, a[i]);
    } else {
        float mine[ROWS_PER_GROUP];
        for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
            const float s = laneSum(ROW_SUM(r));
            if (r % lanes == lane)
                mine[r / lanes] = s;
        }
        for (uint k = 0; k * lanes < ROWS_PER_GROUP; ++k) {
            const uint r = k * lanes + lane;
            if (r < ROWS_PER_GROUP)
                ROW_STORE(r, mine[k]);
        }
    }
}
#undef ROW_SUM
#undef ROW_STORE
