// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Y[t, :] = scale * W[ids[t], :] for the tokens t < p.tokens whose row lies in this chunk
// of W (rows firstRow .. firstRow + rowCount), decoded from any storage type
// (common/weights.glsl): embedding lookups for quantized tables need no host decoder.
#version 450
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;

// C++: facet::vk::kernels::GatherPush
layout(push_constant) uniform Push {
    uint cols4;
    uint tokens;
    uint firstRow;
    uint rowCount;
    float scale;
    uint tileRows;   // the table's block layout (block_tiles.h); 0: the file's
    uint tileBlocks;
    uint blockStride;
    uint tileSplit;  // BlockTiles::split
} p;

#define WEIGHT_TILES uvec4(p.rowCount, p.tileRows, p.tileBlocks, p.blockStride)
#define WEIGHT_SPLIT p.tileSplit
#include "common/weights.glsl"
layout(std430, binding = 1) readonly buffer Ids { uint ids[]; };
layout(std430, binding = 2) buffer Output { vec4 y[]; };

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.tokens * p.cols4)
        return;
    const uint row = ids[i / p.cols4];
    if (row < p.firstRow || row >= p.firstRow + p.rowCount)
        return;
    y[i] = weights4(row - p.firstRow, i % p.cols4, p.cols4) * p.scale;
}
