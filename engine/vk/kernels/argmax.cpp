// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/argmax.h"

namespace facet::vk::kernels {

void recordArgmax(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& result, uint32_t n, uint32_t offset)
{
    const Pipeline& p = pipelines.get(ShaderId::argmax_f32, {rec.context().limits().subgroupSize});
    rec.dispatch(p, {x.range(0, uint64_t(offset + n) * 4), result.range(0, 4)}, ArgmaxPush{n, offset}, {1, 1, 1});
}

} // namespace facet::vk::kernels
