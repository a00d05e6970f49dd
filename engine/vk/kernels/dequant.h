// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/kernels/matvec.h"

namespace facet::vk::kernels {

// shaders/dequant.comp, block Push.
struct DequantPush {
    uint32_t cols4, rows, tileRows, tileBlocks, blockStride, tileSplit;
};
static_assert(sizeof(DequantPush) == 24);

// y[rows, cols] = the matrix's first chunk as f32, decoded as the mat-vecs decode it.
// For tests: weights are never expanded on the decode path.
void recordDequant(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, const Buffer& y);

} // namespace facet::vk::kernels
