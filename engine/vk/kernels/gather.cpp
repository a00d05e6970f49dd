// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/gather.h"

#include "vk/kernels/weight_types.h"

#include <stdexcept>

namespace facet::vk::kernels {

void recordGather(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& table, const Buffer& ids, const Buffer& y,
                  uint32_t tokens, float scale)
{
    const WeightTypeKernels* k = weightTypeKernels(table.type);
    if (!k || table.cols % 4 || y.size() < uint64_t(tokens) * table.cols * 4 || ids.size() < uint64_t(tokens) * 4)
        throw std::invalid_argument("gather: bad table or buffers");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(k->gather, {sg});
    const uint32_t n = tokens * table.cols / 4;
    for (const auto& chunk : table.data.chunks()) {
        rec.dispatch(p, {chunk.buffer.range(), ids.range(0, uint64_t(tokens) * 4), y.range(0, uint64_t(tokens) * table.cols * 4)},
                     GatherPush{table.cols / 4, tokens, static_cast<uint32_t>(chunk.firstRow), static_cast<uint32_t>(chunk.rowCount), scale,
                                table.tiles.rows, table.tiles.blocks, table.tiles.stride, table.tiles.split},
                     rec.groupsFor((n + sg - 1) / sg));
    }
}

} // namespace facet::vk::kernels
