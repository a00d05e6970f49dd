// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/ggml_type.h"
#include "vk/kernels/block_tiles.h"
#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

namespace facet::vk::kernels {

// shaders/moe_route.comp, block Push.
struct MoeRoutePush {
    uint32_t experts, k;
};
static_assert(sizeof(MoeRoutePush) == 8);

// shaders/moe_group.comp, block Push.
struct MoeGroupPush {
    uint32_t experts, pairs;
};
static_assert(sizeof(MoeGroupPush) == 8);

// shaders/moe_matmul.comp, block Push.
struct MoeMatmulPush {
    uint32_t cols4, rows, firstExpert, k, inputPerPair;
};
static_assert(sizeof(MoeMatmulPush) == 20);

// shaders/matvec_kquant.comp with MOE, block Push.
struct MoeTexelPush {
    uint32_t cols4, rows, firstExpert, experts, k, inputPerPair, xOffset;
};
static_assert(sizeof(MoeTexelPush) == 28);

// shaders/moe_combine.comp, block Push.
struct MoeCombinePush {
    uint32_t width, k, tokens;
};
static_assert(sizeof(MoeCombinePush) == 12);

// All experts' matrices of one projection, [experts, rows, cols] in the file's type.
// Chunked by whole experts, so each chunk's dispatch finds an expert's rows together.
struct ExpertMatrices {
    RowChunkedBuffer data; // one "row" of the buffer = one expert's [rows, cols] matrix
    GgmlType type;
    uint32_t experts, rows, cols;
    BlockTiles tiles = {}; // each chunk's experts' rows tiled as one matrix (block_tiles.h)
};

// `bytes` ([experts, rows, cols] in the file's layout) on the device, in the layout the
// mat-vec reads fastest (matvecTiles). maxChunkBytes: as RowChunkedBuffer's.
ExpertMatrices uploadExperts(Context& ctx, std::span<const std::byte> bytes, uint32_t experts, uint32_t rows, GgmlType type,
                             uint32_t cols, uint64_t maxChunkBytes = 0);

// The routing state the expert kernels read: per chunk of tokens.
struct Routing {
    Buffer ids;     // [tokens, k] uint
    Buffer weights; // [tokens, k] f32
    Buffer offsets; // [experts + 1] uint
    Buffer order;   // [tokens * k] uint
};

// ids/weights from router logits [tokens, experts]: softmax, top-k, renormalised, scaled.
void recordMoeRoute(Recorder& rec, PipelineCache& pipelines, const Buffer& logits, const Buffer& expertScale, const Routing& r,
                    uint32_t tokens, uint32_t experts, uint32_t k);
// offsets/order: the pairs grouped by expert.
void recordMoeGroup(Recorder& rec, PipelineCache& pipelines, const Routing& r, uint32_t tokens, uint32_t experts, uint32_t k);
// Y[pair, rows] for every routed pair; x has a row per token, or per pair when inputPerPair.
void recordMoeMatmul(Recorder& rec, PipelineCache& pipelines, const ExpertMatrices& w, const Buffer& x, const Routing& r,
                     const Buffer& y, uint32_t tokens, uint32_t k, bool inputPerPair);
// y[tokens, width] = sum over slots of weight * expertOut.
void recordMoeCombine(Recorder& rec, PipelineCache& pipelines, const Buffer& expertOut, const Routing& r, const Buffer& y,
                      uint32_t tokens, uint32_t k, uint32_t width);

} // namespace facet::vk::kernels
