// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace facet::vk {
class RowChunkedBuffer;
}

namespace facet::vk::kernels {

// Where a block-quantized matrix's blocks lie on the device. rows == 0: the file's
// row-major order. Otherwise each band of `rows` rows (the last one shorter) is cut
// into tiles of `blocks` blocks per row (the last one narrower); a band's tiles follow
// each other left to right and a tile holds its rows' blocks row by row.
//
// Why: a mat-vec workgroup on a CPU device takes `rows` rows and its lanes one block
// column of them at a time. In file order that column is `rows` pieces a row apart,
// which the cores' prefetchers follow badly; tiled, it is one contiguous run and the
// whole band streams in order (Q4_K 131072 x 1536 out of cache: 43 -> 34 ms). A band
// is the same bytes in either layout, so the rows' chunks (RowChunkedBuffer) need no
// change. shaders/common/block_tiles.glsl computes the same index.
//
// stride: bytes per block on the device, the file's block followed by zeros (0: the
// file's size). Q6_K's 210-byte blocks straddle 16-byte texels; at 224 every field is
// whole texels, and the last two texels each hold one half block's eight scales and the
// block's d (shaders/matvec_kquant.comp, common/weights.glsl).
//
// split (tiled layouts of the 32-element types Q4_0, Q5_0, Q8_0 only): each row of a
// whole-width tile keeps its blocks' fields apart, as arrays: the f16 scales, then
// Q5_0's 4-byte high-bit words, then the quants (16 or 32 bytes each). With `blocks` a
// multiple of 8 every field then starts on a 16-byte texel, so a lane reads its block's
// quants as whole texels instead of realigning three texels (18-, 22- and 34-byte blocks
// straddle them). The same bytes: the tile row is only reordered. Narrow tiles (a row's
// last, when its blocks are not a multiple of `blocks`) keep the file's blocks.
struct BlockTiles {
    uint32_t rows = 0;
    uint32_t blocks = 1;
    uint32_t stride = 0;
    uint32_t split = 0;
    bool tiled() const { return rows != 0; }
    bool rearranged() const { return rows != 0 || stride != 0; }
    uint32_t deviceBlockBytes(uint32_t fileBlockBytes) const { return stride ? stride : fileBlockBytes; }
};

// The position of block kb of `row` among the blocks of a chunk of `chunkRows` rows.
uint64_t tiledBlock(uint64_t row, uint64_t kb, uint64_t blocksPerRow, uint64_t chunkRows, BlockTiles t);

// Rearranges whole bands: `in` holds chunk rows firstRow .. firstRow + n in file order
// (firstRow a multiple of t.rows, n reaching a band's end or the chunk's), `out` the
// same rows tiled, at t's stride.
void tileBands(std::span<const std::byte> in, std::span<std::byte> out, uint64_t firstRow, uint64_t n, uint64_t chunkRows,
               uint64_t blocksPerRow, uint32_t blockBytes, BlockTiles t);

// Uploads `bytes` (matrix rows of blocksPerRow blocks in the file's layout, back to
// back) into `dst`, each of whose rows holds `matrixRows` matrix rows (1 for a matrix,
// an expert's rows for a stack of experts), in t's layout; each chunk of dst is tiled
// as one matrix of its rows.
void uploadTiled(RowChunkedBuffer& dst, std::span<const std::byte> bytes, uint64_t matrixRows, uint64_t blocksPerRow,
                 uint32_t blockBytes, BlockTiles t);

} // namespace facet::vk::kernels
