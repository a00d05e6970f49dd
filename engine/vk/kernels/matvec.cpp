// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/matvec.h"

#include "vk/kernels/weight_types.h"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <vector>

namespace facet::vk::kernels {
namespace {

// Rows per workgroup: x is loaded once and reused across them. toolchain-notes §3 found
// 4-8 best for f32 on lavapipe; with the K-quant kernels (few, wide loads per lane) 16
// measured best with facet-kernel-bench at E2B's shapes, then 32 once the texel kernels
// overlapped the rows' loads. With tiled weights, a row loop instead of all rows' texels
// first and one store per lane, 64 rows per decode workgroup beat 32 (6144x1536 Q4_K
// 0.88 -> 0.58 ms, E2B decode A/B median 3.0 -> 4.0 tok/s). Prefill stays at 32 (its
// accumulators are rows x tokens), and so does matvec.comp, which holds a vec4 per row
// (BF16 8960x1536: 4 -> 12 ms at 64). Tiles are 64 rows whichever a workgroup takes.
constexpr uint32_t kRowsPerGroup = 64;
constexpr uint32_t kOtherRowsPerGroup = 32;
// Tokens per workgroup in prefill: each weight vec4 is loaded once for this many tokens.
constexpr uint32_t kTokensPerGroup = 8;
// Tail tokens (past whole groups) that the one-token kernel takes instead of a group.
// E2B Q4_K_M time to first token, medians of three alternating runs, a group against the
// one-token kernel: 2 tokens 1065 -> 545 ms, 3: 1086 -> 662, 4: 1025 -> 775,
// 9: 1697 -> 1294, 11: 1628 -> 1540, 12: 1723 -> 1658, 19: 2311 -> 2148; a tail of 5
// (13 tokens) 1693 -> 1816 and of 6 (14) 1644 -> 1859 lost.
constexpr uint32_t kTailTokens = 4;

// Elements one lane of matvec_kquant.comp's texel kernel takes at a time (its UNIT; the
// tiles' width follows it); 0: matvec.comp.
uint32_t laneUnit(GgmlType type)
{
    switch (type) {
    case GgmlType::Q4_K:
    case GgmlType::Q5_K:
    case GgmlType::Q6_K: return 64;
    case GgmlType::Q8_0:
    case GgmlType::Q5_0:
    case GgmlType::Q4_0: return 32;
    default: return 0;
    }
}

uint32_t rowsPerGroup(GgmlType type, uint32_t perGroup) { return perGroup == 1 && laneUnit(type) ? kRowsPerGroup : kOtherRowsPerGroup; }

// The pipeline of a dispatch taking perGroup tokens a workgroup pass (gelu 0: no product).
PipelineKey pipelineKey(const Context& ctx, ShaderId id, std::optional<ShaderId> texelId, GgmlType type, BlockTiles tiles,
                        uint32_t gelu, uint32_t perGroup, bool texels)
{
    std::vector<uint32_t> spec = {ctx.limits().subgroupSize, rowsPerGroup(type, perGroup), perGroup};
    if (laneUnit(type)) {
        spec.push_back(tiles.rows);
        spec.push_back(tiles.blocks);
        spec.push_back(tiles.stride);
        spec.push_back(gelu);
        spec.push_back(tiles.split);
    } else if (tiles.rearranged()) {
        throw std::invalid_argument("matvec: tiled blocks need matvec_kquant");
    }
    return {texels ? *texelId : id, std::move(spec)};
}

// Whether the texel kernel can read this matrix (x aside): matvec.comp's reads rows in
// whole texels, so 16-bit rows need 8 elements.
bool texelKernelFits(const Context& ctx, std::optional<ShaderId> texelId, GgmlType type, uint32_t cols)
{
    const auto& t = ggmlTypeTraits(type);
    return texelId && ctx.limits().texelReads && (laneUnit(type) || uint64_t(cols) / t.blockElements * t.blockBytes % 16 == 0);
}

// The dispatches of tokens first .. first + count of a mat-vec whose ranges record()
// has checked, perGroup tokens a workgroup pass.
void recordTokens(Recorder& rec, PipelineCache& pipelines, ShaderId id, std::optional<ShaderId> texelId, GgmlType type,
                  const RowChunkedBuffer& weight, uint32_t cols, BufferRange x, BufferRange y, uint32_t first, uint32_t count,
                  uint32_t perGroup, bool texels, float scale, uint32_t xRow, BlockTiles tiles, const MatvecGate* gate)
{
    const uint32_t rowsPerGroup = kernels::rowsPerGroup(type, perGroup);
    auto [shader, spec] = pipelineKey(rec.context(), id, texelId, type, tiles, gate ? static_cast<uint32_t>(gate->gelu) : 0,
                                      perGroup, texels);
    const Pipeline& p = pipelines.get(shader, std::move(spec));
    // Token `first` is the dispatch's first: y and the gate operand are bound from its row
    // (record() checked the offsets' alignment), x is read from its row.
    const uint64_t yRow = weight.rows() * 4;
    y.offset += first * yRow;
    y.size = count * yRow;
    std::optional<MatvecGate> g;
    if (gate) {
        g = *gate;
        g->g.offset += uint64_t(first) * gate->stride * 4;
        g->g.size -= uint64_t(first) * gate->stride * 4;
    }
    for (const auto& chunk : weight.chunks()) {
        const uint32_t xOffset = (xRow + first) * (cols / 4) + (texels ? static_cast<uint32_t>(x.offset / 16) : 0);
        const MatvecPush push{cols / 4, static_cast<uint32_t>(chunk.rowCount), static_cast<uint32_t>(chunk.firstRow),
                              scale, count, static_cast<uint32_t>(weight.rows()), xOffset,
                              g ? g->offset : 0, g ? g->stride : 0};
        auto groups = rec.groupsFor((chunk.rowCount + rowsPerGroup - 1) / rowsPerGroup);
        // A CPU device runs each workgroup over every token group in turn (its weights stay
        // cached); elsewhere token groups spread over z.
        groups[2] = texels ? 1 : (count + perGroup - 1) / perGroup;
        if (g)
            rec.dispatch(p, {chunk.buffer.range(), x, y, g->g}, push, groups);
        else
            rec.dispatch(p, {chunk.buffer.range(), x, y}, push, groups);
    }
}

void record(Recorder& rec, PipelineCache& pipelines, ShaderId id, std::optional<ShaderId> texelId, GgmlType type,
            const RowChunkedBuffer& weight, uint32_t cols, BufferRange x, BufferRange y, uint32_t tokens, float scale,
            uint32_t xRow, BlockTiles tiles = {}, const MatvecGate* gate = nullptr)
{
    const auto& t = ggmlTypeTraits(type);
    if (cols % 4 != 0 || cols % t.blockElements != 0 ||
        weight.rowBytes() != uint64_t(cols) / t.blockElements * tiles.deviceBlockBytes(t.blockBytes))
        throw std::invalid_argument("matvec needs whole blocks and rows of a multiple of 4 elements");
    const uint64_t xBytes = uint64_t(xRow + tokens) * cols * 4, yBytes = uint64_t(tokens) * weight.rows() * 4;
    if (tokens == 0 || x.size < xBytes || y.size < yBytes)
        throw std::invalid_argument("matvec input or output too small");
    x.size = xBytes;
    y.size = yBytes;
    // Texels: x's view is its whole buffer, so its offset joins xOffset.
    const bool texels = x.texels && x.offset % 16 == 0 && texelKernelFits(rec.context(), texelId, type, cols);
    if (gate && (!texels || !laneUnit(type)))
        throw std::invalid_argument("matvec: the GELU product needs the texel kernel (canGateMatvec)");
    if (gate && uint64_t(tokens - 1) * gate->stride + gate->offset + weight.rows() > gate->g.size / 4)
        throw std::invalid_argument("matvec: the GELU product's operand is too small");
    // A prefill's last tokens past whole groups of kTokensPerGroup: a workgroup pass does
    // a whole group's work however few of its tokens are live, so a short tail takes the
    // one-token kernel instead, each workgroup taking those tokens in turn with its band
    // of weights cached after the first (the same sums in the same order: prefill and
    // decode agree exactly). matvec.comp's one-token kernel takes one token only.
    auto run = [&](uint32_t first, uint32_t count, uint32_t perGroup) {
        recordTokens(rec, pipelines, id, texelId, type, weight, cols, x, y, first, count, perGroup, texels, scale, xRow, tiles, gate);
    };
    if (tokens == 1) {
        run(0, 1, 1);
        return;
    }
    const uint32_t tail = tokens % kTokensPerGroup, head = tokens - tail;
    const uint64_t align = std::max<uint64_t>(1, rec.context().limits().storageOffsetAlignment);
    const bool aligned = (y.offset + uint64_t(head) * weight.rows() * 4) % align == 0 &&
                         (!gate || (gate->g.offset + uint64_t(head) * gate->stride * 4) % align == 0);
    if (laneUnit(type) && texels && tail != 0 && tail <= kTailTokens && aligned) {
        if (head)
            run(0, head, kTokensPerGroup);
        run(head, tail, 1);
    } else {
        run(0, tokens, kTokensPerGroup);
    }
}

} // namespace

BlockTiles matvecTiles(const Context& ctx, GgmlType type)
{
    const uint32_t unit = laneUnit(type);
    if (!ctx.limits().texelReads || !unit)
        return {};
    // Q6_K padded: about 2x fewer instructions per unit (matvec_kquant.comp); the
    // 32-element types' fields split into whole texels where the tiles allow it.
    const uint32_t blocks = std::max(1u, ctx.limits().subgroupSize * unit / ggmlTypeTraits(type).blockElements);
    const bool split = (type == GgmlType::Q4_0 || type == GgmlType::Q5_0 || type == GgmlType::Q8_0) && blocks % 8 == 0;
    return {kRowsPerGroup, blocks, type == GgmlType::Q6_K ? 224u : 0u, split ? 1u : 0u};
}

uint64_t deviceMatrixBytes(const Context& ctx, GgmlType type, uint64_t fileBytes)
{
    const uint32_t blockBytes = ggmlTypeTraits(type).blockBytes;
    return blockBytes ? fileBytes / blockBytes * matvecTiles(ctx, type).deviceBlockBytes(blockBytes) : fileBytes;
}

DeviceMatrix uploadMatrix(Context& ctx, std::span<const std::byte> bytes, uint64_t rows, GgmlType type, uint32_t cols,
                          uint64_t maxChunkBytes)
{
    const auto& t = ggmlTypeTraits(type);
    if (rows == 0 || cols % t.blockElements || bytes.size() != rows * (cols / t.blockElements) * t.blockBytes)
        throw std::invalid_argument("uploadMatrix: bytes are not whole rows of blocks");
    const uint64_t blocksPerRow = cols / t.blockElements;
    const BlockTiles tiles = matvecTiles(ctx, type);
    const uint64_t deviceRowBytes = blocksPerRow * tiles.deviceBlockBytes(t.blockBytes);
    DeviceMatrix m{RowChunkedBuffer(ctx, rows, deviceRowBytes, MemoryUse::Device, maxChunkBytes), type, cols, tiles};
    uploadTiled(m.data, bytes, 1, blocksPerRow, t.blockBytes, tiles);
    return m;
}

void recordMatvec(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, BufferRange x, BufferRange y, uint32_t tokens,
                  float scale, uint32_t xRow)
{
    const WeightTypeKernels* k = weightTypeKernels(w.type);
    if (!k)
        throw std::invalid_argument("matvec: storage type not supported");
    record(rec, pipelines, k->matvec, k->matvecTexels, w.type, w.data, w.cols, x, y, tokens, scale, xRow, w.tiles);
}

std::vector<PipelineKey> matvecPipelines(const Context& ctx, const DeviceMatrix& w, std::optional<MatvecGate::Gelu> gelu)
{
    const WeightTypeKernels* k = weightTypeKernels(w.type);
    if (!k || (gelu && !canGateMatvec(ctx, w)))
        return {};
    const std::optional<ShaderId> texelId = gelu ? k->matvecGatedTexels : k->matvecTexels;
    const bool texels = texelKernelFits(ctx, texelId, w.type, w.cols);
    const uint32_t g = gelu ? static_cast<uint32_t>(*gelu) : 0;
    return {pipelineKey(ctx, k->matvec, texelId, w.type, w.tiles, g, 1, texels),
            pipelineKey(ctx, k->matvec, texelId, w.type, w.tiles, g, kTokensPerGroup, texels)};
}

bool canGateMatvec(const Context& ctx, const DeviceMatrix& w)
{
    const WeightTypeKernels* k = weightTypeKernels(w.type);
    return k && k->matvecGatedTexels && ctx.limits().texelReads && laneUnit(w.type);
}

void recordMatvecGated(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, BufferRange x, BufferRange y,
                       const MatvecGate& gate, uint32_t tokens)
{
    // record() refuses where the texel kernel cannot run (no texel view of x, say).
    if (!canGateMatvec(rec.context(), w))
        throw std::invalid_argument("matvec: the GELU product needs the texel kernel (canGateMatvec)");
    const WeightTypeKernels* k = weightTypeKernels(w.type);
    record(rec, pipelines, k->matvec, k->matvecGatedTexels, w.type, w.data, w.cols, x, y, tokens, 1.0f, 0, w.tiles, &gate);
}

void recordMatvecF32(Recorder& rec, PipelineCache& pipelines, const RowChunkedBuffer& weight, uint32_t cols,
                     const Buffer& x, const Buffer& y)
{
    record(rec, pipelines, ShaderId::matvec_f32, std::nullopt, GgmlType::F32, weight, cols, x.range(), y.range(), 1, 1.0f, 0);
}

} // namespace facet::vk::kernels
