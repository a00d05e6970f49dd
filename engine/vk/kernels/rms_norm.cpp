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

void recordResidualNorm(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& o, const Buffer& branchNorm,
                        float scale, const Buffer* nextNorm, const Buffer& xn, uint32_t rows, uint32_t n, float eps)
{
    const uint64_t bytes = uint64_t(rows) * n * 4, wBytes = uint64_t(n) * 4;
    if (n == 0 || rows == 0 || x.size() < bytes || o.size() < bytes || xn.size() < bytes || branchNorm.size() < wBytes ||
        (nextNorm && nextNorm->size() < wBytes))
        throw std::invalid_argument("residual_norm_f32 buffers too small");
    const Pipeline& p = pipelines.get(ShaderId::residual_norm_f32, {rec.context().limits().subgroupSize});
    // Without a next norm its binding still needs a buffer; the branch norm stands in, unread.
    const BufferRange wn = (nextNorm ? *nextNorm : branchNorm).range(0, wBytes);
    rec.dispatch(p, {x.range(0, bytes), o.range(0, bytes), branchNorm.range(0, wBytes), wn, xn.range(0, bytes)},
                 ResidualNormPush{n, rows, eps, scale, nextNorm ? 1u : 0u}, rec.groupsFor(rows));
}

} // namespace facet::vk::kernels
