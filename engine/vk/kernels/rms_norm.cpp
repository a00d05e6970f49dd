// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/rms_norm.h"

#include <stdexcept>

namespace facet::vk::kernels {

void recordRmsNormF32(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer* weight, const Buffer& y,
                      uint32_t rows, uint32_t n, float eps)
{
    const uint64_t bytes = uint64_t(rows) * n * 4;
    if (n == 0 || rows == 0 || x.size() < bytes || y.size() < bytes || (weight && weight->size() < uint64_t(n) * 4))
        throw std::invalid_argument("rms_norm_f32 buffers too small");
    const Pipeline& p = pipelines.get(ShaderId::rms_norm_f32, {rec.context().limits().subgroupSize});
    // Without a weight the binding still needs a buffer; x stands in and is not read.
    const BufferRange w = weight ? weight->range(0, uint64_t(n) * 4) : x.range(0, bytes);
    rec.dispatch(p, {x.range(0, bytes), w, y.range(0, bytes)}, RmsNormPush{n, rows, eps, weight ? 1u : 0u}, rec.groupsFor(rows));
}

} // namespace facet::vk::kernels
