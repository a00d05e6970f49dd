// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#pragma once

#include "vk/kernels/matvec.h"

namespace facet::vk::kernels {

// shaders/embed_gather.comp, block Push.
struct GatherPush {
    uint32_t cols4, tokens, firstRow, rowCount;
    float scale;
    uint32_t tileRows, tileBlocks, blockStride, tileSplit;
};
static_assert(sizeof(GatherPush) == 36);

// y[tokens, cols] = scale * table[ids[t], :], decoded from the table's storage type;
// one dispatch per chunk of the table.
void recordGather(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& table, const Buffer& ids, const Buffer& y,
                  uint32_t tokens, float scale);

} // namespace facet::vk::kernels
