// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/dequant.h"

#include "vk/kernels/weight_types.h"

#include <stdexcept>

namespace facet::vk::kernels {

void recordDequant(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, const Buffer& y)
{
    const WeightTypeKernels* k = weightTypeKernels(w.type);
    if (!k || !k->dequant)
        throw std::invalid_argument("dequant: not a block type");
    const auto& chunk = w.data.chunks().front();
    const uint32_t rows = static_cast<uint32_t>(chunk.rowCount);
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(*k->dequant, {sg});
    const uint32_t n = rows * w.cols / 4;
    rec.dispatch(p, {chunk.buffer.range(), y.range(0, uint64_t(rows) * w.cols * 4)}, DequantPush{w.cols / 4, rows, w.tiles.rows, w.tiles.blocks, w.tiles.stride, w.tiles.split},
                 rec.groupsFor((n + sg - 1) / sg));
}

} // namespace facet::vk::kernels
