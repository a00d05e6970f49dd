// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Included inside a mat-vec's main(), whose workgroup is one subgroup: adds each of
// ROWS_PER_GROUP rows' partial sums over the lanes and hands row r's total to lane
// r % lanes, which stores it. The includer defines ROW_SUM(r), this lane's partial sum
// of row r, and ROW_STORE(r, s), which writes total s of row r where it exists.
//
// Why not one store per row from an elected lane: a store is a loop over the active
// lanes on a CPU device, and 32 of them with one lane each cost as much as the rows'
// whole dot products where rows are short (E2B's 1536 columns: about 30 %). The
// workgroup size is a specialisation constant, so the indices fold.
{
    const uint lanes = gl_WorkGroupSize.x, lane = gl_LocalInvocationID.x;
    float mine[ROWS_PER_GROUP];
    for (uint r = 0; r < ROWS_PER_GROUP; ++r) {
        const float s = subgroupAdd(ROW_SUM(r));
        if (r % lanes == lane)
            mine[r / lanes] = s;
    }
    for (uint k = 0; k * lanes < ROWS_PER_GROUP; ++k) {
        const uint r = k * lanes + lane;
        if (r < ROWS_PER_GROUP)
            ROW_STORE(r, mine[k]);
    }
}
#undef ROW_SUM
#undef ROW_STORE
