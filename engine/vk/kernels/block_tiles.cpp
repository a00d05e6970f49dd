// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/block_tiles.h"

#include "vk/memory.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace facet::vk::kernels {

uint64_t tiledBlock(uint64_t row, uint64_t kb, uint64_t blocksPerRow, uint64_t chunkRows, BlockTiles t)
{
    if (!t.tiled())
        return row * blocksPerRow + kb;
    const uint64_t r0 = row - row % t.rows, c0 = kb - kb % t.blocks;
    const uint64_t height = std::min<uint64_t>(t.rows, chunkRows - r0), width = std::min<uint64_t>(t.blocks, blocksPerRow - c0);
    return r0 * blocksPerRow + c0 * height + (row - r0) * width + (kb - c0);
}

namespace {

// A whole tile row of n blocks of `blockBytes` as arrays of their fields (BlockTiles::split):
// the 2-byte scales, Q5_0's 4-byte high bits (22-byte blocks), the rest.
void splitFields(std::byte* blocks, uint64_t n, uint32_t blockBytes, std::vector<std::byte>& scratch)
{
    const uint32_t high = blockBytes == 22 ? 4 : 0;
    const uint32_t fields[3][2] = {{0, 2}, {2, high}, {2 + high, blockBytes - 2 - high}}; // offset, size
    scratch.assign(blocks, blocks + n * blockBytes);
    std::byte* to = blocks;
    for (const auto& f : fields) {
        for (uint64_t b = 0; b < n; ++b, to += f[1])
            std::memcpy(to, scratch.data() + b * blockBytes + f[0], f[1]);
    }
}

// A Q6_K block padded to 224 bytes (BlockTiles::stride): ql and qh stay in texels 0..11;
// texel 12 + h holds half h's eight scales, then the block's f16 d (bytes 8, 9), so a lane
// reads a quarter block's scales and d in one texel fetch instead of two.
void padQ6kTail(std::byte* block)
{
    std::byte tail[32] = {};
    for (int h = 0; h < 2; ++h) {
        std::memcpy(tail + 16 * h, block + 192 + 8 * h, 8);
        std::memcpy(tail + 16 * h + 8, block + 208, 2);
    }
    std::memcpy(block + 192, tail, sizeof tail);
}

} // namespace

void tileBands(std::span<const std::byte> in, std::span<std::byte> out, uint64_t firstRow, uint64_t n, uint64_t chunkRows,
               uint64_t blocksPerRow, uint32_t blockBytes, BlockTiles t)
{
    const uint32_t stride = t.deviceBlockBytes(blockBytes);
    if (stride < blockBytes || in.size() != n * blocksPerRow * blockBytes || out.size() != n * blocksPerRow * stride ||
        (t.tiled() && (firstRow % t.rows || (n % t.rows && firstRow + n != chunkRows))))
        throw std::invalid_argument("tileBands needs whole bands");
    const uint64_t base = firstRow * blocksPerRow;
    for (uint64_t r = firstRow; r < firstRow + n; ++r) {
        for (uint64_t kb = 0; kb < blocksPerRow; ++kb) {
            std::byte* to = out.data() + (tiledBlock(r, kb, blocksPerRow, chunkRows, t) - base) * stride;
            std::memcpy(to, in.data() + ((r - firstRow) * blocksPerRow + kb) * blockBytes, blockBytes);
            std::memset(to + blockBytes, 0, stride - blockBytes);
            if (blockBytes == 210 && stride == 224)
                padQ6kTail(to);
        }
    }
    if (!t.split)
        return;
    if (!t.tiled() || stride != blockBytes || (blockBytes != 18 && blockBytes != 22 && blockBytes != 34) || t.blocks % 8)
        throw std::invalid_argument("tileBands: split fields need tiles a multiple of 8 blocks wide of Q4_0, Q5_0 or Q8_0");
    std::vector<std::byte> scratch;
    for (uint64_t r = firstRow; r < firstRow + n; ++r) {
        for (uint64_t c0 = 0; c0 + t.blocks <= blocksPerRow; c0 += t.blocks)
            splitFields(out.data() + (tiledBlock(r, c0, blocksPerRow, chunkRows, t) - base) * stride, t.blocks, blockBytes, scratch);
    }
}

void uploadTiled(RowChunkedBuffer& dst, std::span<const std::byte> bytes, uint64_t matrixRows, uint64_t blocksPerRow,
                 uint32_t blockBytes, BlockTiles t)
{
    const uint64_t fileRowBytes = blocksPerRow * blockBytes, deviceRowBytes = blocksPerRow * t.deviceBlockBytes(blockBytes);
    if (dst.rowBytes() != matrixRows * deviceRowBytes || bytes.size() != dst.rows() * matrixRows * fileRowBytes)
        throw std::invalid_argument("uploadTiled: sizes differ from the buffer's");
    if (!t.rearranged()) {
        dst.upload(bytes);
        return;
    }
    // Bands rearranged a batch at a time: host memory stays a few staging sizes.
    const uint64_t band = std::max(1u, t.rows);
    const uint64_t batchRows = std::max<uint64_t>(1, (32ull << 20) / (deviceRowBytes * band)) * band;
    std::vector<std::byte> tiled;
    for (auto& chunk : dst.chunks()) {
        const uint64_t rows = chunk.rowCount * matrixRows, first = chunk.firstRow * matrixRows;
        for (uint64_t r = 0; r < rows; r += batchRows) {
            const uint64_t n = std::min(batchRows, rows - r);
            tiled.resize(n * deviceRowBytes);
            tileBands(bytes.subspan((first + r) * fileRowBytes, n * fileRowBytes), tiled, r, n, rows, blocksPerRow, blockBytes, t);
            chunk.buffer.upload(tiled, r * deviceRowBytes);
        }
    }
}

} // namespace facet::vk::kernels
