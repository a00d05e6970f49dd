// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
//
// The position of block kb of `row` in a chunk of `chunkRows` rows whose blocks lie in
// tiles of tileRows x tileBlocks (tileRows 0: the file's row-major order). The layout
// and why: engine/vk/kernels/block_tiles.h, which computes the same index.
uint tiledBlock(uint row, uint kb, uint blocksPerRow, uint chunkRows, uint tileRows, uint tileBlocks)
{
    if (tileRows == 0u)
        return row * blocksPerRow + kb;
    const uint r0 = row - row % tileRows, c0 = kb - kb % tileBlocks;
    const uint height = min(tileRows, chunkRows - r0), width = min(tileBlocks, blocksPerRow - c0);
    return r0 * blocksPerRow + c0 * height + (row - r0) * width + (kb - c0);
}
