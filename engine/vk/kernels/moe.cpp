// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/moe.h"

#include "vk/kernels/matvec.h"
#include "vk/kernels/weight_types.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

constexpr uint32_t kRowsPerGroup = 4;
constexpr uint32_t kPairsPerGroup = 8;

ShaderId matmulShader(GgmlType t)
{
    const WeightTypeKernels* k = weightTypeKernels(t);
    if (!k)
        throw std::invalid_argument("moe_matmul: storage type not supported");
    return k->moeMatmul;
}

} // namespace

ExpertMatrices uploadExperts(Context& ctx, std::span<const std::byte> bytes, uint32_t experts, uint32_t rows, GgmlType type,
                             uint32_t cols, uint64_t maxChunkBytes)
{
    const auto& t = ggmlTypeTraits(type);
    if (experts == 0 || rows == 0 || cols % t.blockElements ||
        bytes.size() != uint64_t(experts) * rows * (cols / t.blockElements) * t.blockBytes)
        throw std::invalid_argument("uploadExperts: bytes are not whole experts");
    const WeightTypeKernels* k = weightTypeKernels(type);
    const BlockTiles tiles = k && k->moeTexels ? matvecTiles(ctx, type) : BlockTiles{};
    const uint64_t blocksPerRow = cols / t.blockElements, expertBytes = rows * blocksPerRow * tiles.deviceBlockBytes(t.blockBytes);
    ExpertMatrices w{RowChunkedBuffer(ctx, experts, expertBytes, MemoryUse::Device, maxChunkBytes), type, experts, rows, cols, tiles};
    uploadTiled(w.data, bytes, rows, blocksPerRow, t.blockBytes, tiles);
    return w;
}

void recordMoeRoute(Recorder& rec, PipelineCache& pipelines, const Buffer& logits, const Buffer& expertScale, const Routing& r,
                    uint32_t tokens, uint32_t experts, uint32_t k)
{
    if (k == 0 || k > experts || logits.size() < uint64_t(tokens) * experts * 4 || r.ids.size() < uint64_t(tokens) * k * 4)
        throw std::invalid_argument("moe_route: bad shape");
    const Pipeline& p = pipelines.get(ShaderId::moe_route_f32, {rec.context().limits().subgroupSize});
    rec.dispatch(p, {logits.range(0, uint64_t(tokens) * experts * 4), expertScale.range(0, uint64_t(experts) * 4), r.ids.range(),
                     r.weights.range()},
                 MoeRoutePush{experts, k}, {tokens, 1, 1});
}

void recordMoeGroup(Recorder& rec, PipelineCache& pipelines, const Routing& r, uint32_t tokens, uint32_t experts, uint32_t k)
{
    const Pipeline& p = pipelines.get(ShaderId::moe_group, {});
    rec.dispatch(p, {r.ids.range(0, uint64_t(tokens) * k * 4), r.offsets.range(0, uint64_t(experts + 1) * 4), r.order.range()},
                 MoeGroupPush{experts, tokens * k}, {1, 1, 1});
}

void recordMoeMatmul(Recorder& rec, PipelineCache& pipelines, const ExpertMatrices& w, const Buffer& x, const Routing& r,
                     const Buffer& y, uint32_t tokens, uint32_t k, bool inputPerPair)
{
    if (w.cols % 4 || y.size() < uint64_t(tokens) * k * w.rows * 4 ||
        x.size() < uint64_t(inputPerPair ? tokens * k : tokens) * w.cols * 4)
        throw std::invalid_argument("moe_matmul: bad shape");
    const uint32_t sg = rec.context().limits().subgroupSize;
    // A CPU device: the texel kernel, a workgroup per routed pair and group of rows.
    const WeightTypeKernels* kernels = weightTypeKernels(w.type);
    if (kernels && kernels->moeTexels && rec.context().limits().texelReads && x.range().texels) {
        constexpr uint32_t kTexelRows = 64; // as the decode mat-vec (matvec.cpp)
        const Pipeline& p = pipelines.get(*kernels->moeTexels, {sg, kTexelRows, 1, w.tiles.rows, w.tiles.blocks, w.tiles.stride, 0, w.tiles.split}); // tokens per group: unused
        for (const auto& chunk : w.data.chunks()) {
            auto groups = rec.groupsFor((w.rows + kTexelRows - 1) / kTexelRows);
            groups[2] = tokens * k;
            const MoeTexelPush push{w.cols / 4, w.rows, static_cast<uint32_t>(chunk.firstRow), static_cast<uint32_t>(chunk.rowCount),
                                    k, inputPerPair ? 1u : 0u, 0};
            rec.dispatch(p, {chunk.buffer.range(), x.range(), r.ids.range(), y.range()}, push, groups);
        }
        return;
    }
    // Experts are tiled only where every buffer has a texel view (a CPU device).
    if (w.tiles.rearranged())
        throw std::invalid_argument("moe_matmul: tiled experts are read through texels");
    const Pipeline& p = pipelines.get(matmulShader(w.type), {sg, kRowsPerGroup, kPairsPerGroup});
    for (const auto& chunk : w.data.chunks()) {
        auto groups = rec.groupsFor((w.rows + kRowsPerGroup - 1) / kRowsPerGroup);
        groups[2] = static_cast<uint32_t>(chunk.rowCount); // experts in this chunk
        rec.dispatch(p, {chunk.buffer.range(), x.range(), r.offsets.range(), r.order.range(), y.range()},
                     MoeMatmulPush{w.cols / 4, w.rows, static_cast<uint32_t>(chunk.firstRow), k, inputPerPair ? 1u : 0u}, groups);
    }
}

void recordMoeCombine(Recorder& rec, PipelineCache& pipelines, const Buffer& expertOut, const Routing& r, const Buffer& y,
                      uint32_t tokens, uint32_t k, uint32_t width)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(ShaderId::moe_combine_f32, {sg});
    const uint32_t n = tokens * width;
    rec.dispatch(p, {expertOut.range(0, uint64_t(tokens) * k * width * 4), r.weights.range(), y.range(0, uint64_t(n) * 4)},
                 MoeCombinePush{width, k, tokens}, rec.groupsFor((n + sg - 1) / sg));
}

} // namespace facet::vk::kernels
