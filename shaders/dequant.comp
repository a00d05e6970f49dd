// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// Y = W as f32, through the same common/weights.glsl the mat-vecs read with; lets the
// tests compare the shaders' dequantization with gguf-py's bit for bit.
#version 450
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;

// C++: facet::vk::kernels::DequantPush
layout(push_constant) uniform Push {
    uint cols4;
    uint rows;
    uint tileRows;   // W's block layout (block_tiles.h); 0: the file's
    uint tileBlocks;
    uint blockStride;
    uint tileSplit;  // BlockTiles::split
} p;

#define WEIGHT_TILES uvec4(p.rows, p.tileRows, p.tileBlocks, p.blockStride)
#define WEIGHT_SPLIT p.tileSplit
#include "common/weights.glsl"
layout(std430, binding = 1) buffer Output { vec4 y[]; };

void main()
{
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    if (i >= p.rows * p.cols4)
        return;
    y[i] = weights4(i / p.cols4, i % p.cols4, p.cols4);
}
