// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "facet/ggml_type.h"
#include "vk/kernels/block_tiles.h"
#include "vk/memory.h"
#include "vk/pipeline_cache.h"
#include "vk/recorder.h"

#include <optional>
#include <vector>

namespace facet::vk::kernels {

// shaders/matvec.comp, block Push.
struct MatvecPush {
    uint32_t cols4;
    uint32_t rows;
    uint32_t yOffset;
    float scale;
    uint32_t tokens;
    uint32_t yStride;
    uint32_t xOffset; // in vec4s
    uint32_t gateOffset = 0; // MatvecGate's
    uint32_t gateStride = 0;
};
static_assert(sizeof(MatvecPush) == 36);

// A weight matrix on the device in its file's storage type: [rows, cols], each chunk's
// blocks row-major or in tiles (block_tiles.h; uploadMatrix picks).
struct DeviceMatrix {
    RowChunkedBuffer data;
    GgmlType type;
    uint32_t cols;
    BlockTiles tiles = {};
};

// The block layout the mat-vec of `type` reads fastest on this device: tiles of its
// workgroup's rows by its lanes' blocks on a CPU device (texel reads), else the file's.
BlockTiles matvecTiles(const Context& ctx, GgmlType type);

// What `fileBytes` of a `type` matrix take on the device in matvecTiles' layout.
uint64_t deviceMatrixBytes(const Context& ctx, GgmlType type, uint64_t fileBytes);

// `bytes` ([rows, cols] in the file's layout) on the device in matvecTiles' layout.
// maxChunkBytes: as RowChunkedBuffer's (tests force splits with it).
DeviceMatrix uploadMatrix(Context& ctx, std::span<const std::byte> bytes, uint64_t rows, GgmlType type, uint32_t cols,
                          uint64_t maxChunkBytes = 0);

// Y[tokens, rows] = scale * X[tokens, cols] · W[rows, cols]^T; f32 in and out, one
// dispatch per chunk of W. One token is a mat-vec (decode); more reuse each weight load
// across a block of tokens (prefill).
// xRow: the first X row read (a later token's row, without an aligned binding offset).
void recordMatvec(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, BufferRange x, BufferRange y,
                  uint32_t tokens = 1, float scale = 1.0f, uint32_t xRow = 0);

// A gated MLP's GELU product taken as the mat-vec stores its outputs (Y as above):
// Y[t, r] = gelu(G[t, r]) * Y[t, r] (Up: G is the gate projection) or
// gelu(Y[t, r]) * G[t, r] (Self: G is a second operand), G[t, r] read at
// t * stride + offset + r.
struct MatvecGate {
    enum class Gelu : uint32_t { Of = 1, Self = 2 } gelu;
    BufferRange g;
    uint32_t stride;
    uint32_t offset = 0;
};

// Whether recordMatvecGated can take w here (the texel kernels of the K-quants and the
// 32-element types on CPU devices); else the caller dispatches the product itself.
bool canGateMatvec(const Context& ctx, const DeviceMatrix& w);
void recordMatvecGated(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, BufferRange x, BufferRange y,
                       const MatvecGate& gate, uint32_t tokens = 1);

// The pipelines recordMatvec (no gelu) or recordMatvecGated takes for w, for one token
// and for a prefill, x read through its texel view: to compile them ahead
// (PipelineCache::prepare) instead of inside the first prefill.
std::vector<PipelineKey> matvecPipelines(const Context& ctx, const DeviceMatrix& w,
                                         std::optional<MatvecGate::Gelu> gelu = std::nullopt);

// The f32-only form the foundation tests use.
void recordMatvecF32(Recorder& rec, PipelineCache& pipelines, const RowChunkedBuffer& weight, uint32_t cols,
                     const Buffer& x, const Buffer& y);

} // namespace facet::vk::kernels
