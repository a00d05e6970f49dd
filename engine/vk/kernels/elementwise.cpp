// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/elementwise.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

void record(Recorder& rec, PipelineCache& pipelines, ShaderId id, const Buffer& a, const Buffer& b, const Buffer& y,
            uint32_t n, float scale)
{
    const uint64_t bytes = uint64_t(n) * 4;
    if (n == 0 || a.size() < bytes || b.size() < bytes || y.size() < bytes)
        throw std::invalid_argument("elementwise buffers too small");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(id, {sg});
    rec.dispatch(p, {a.range(0, bytes), b.range(0, bytes), y.range(0, bytes)}, ElementwisePush{n, scale},
                 rec.groupsFor((n + sg - 1) / sg));
}

} // namespace

void recordGeluMul(Recorder& rec, PipelineCache& pipelines, const Buffer& a, const Buffer& b, const Buffer& y, uint32_t n)
{
    record(rec, pipelines, ShaderId::gelu_mul_f32, a, b, y, n, 1.0f);
}

void recordAddScale(Recorder& rec, PipelineCache& pipelines, const Buffer& a, const Buffer& b, const Buffer& y, uint32_t n,
                    float scale)
{
    record(rec, pipelines, ShaderId::add_scale_f32, a, b, y, n, scale);
}

void recordSoftcap(Recorder& rec, PipelineCache& pipelines, const Buffer& a, const Buffer& y, uint32_t n, float cap)
{
    record(rec, pipelines, ShaderId::softcap_f32, a, a, y, n, cap); // b is not read
}

} // namespace facet::vk::kernels
