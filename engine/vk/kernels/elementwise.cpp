// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/elementwise.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

void record(Recorder& rec, PipelineCache& pipelines, ShaderId id, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
            float scale, Strided v = {})
{
    const uint64_t bytes = uint64_t(n) * 4;
    if (v.width == 0)
        v = {n, 0, 0};
    const uint64_t bLast = uint64_t((n - 1) / v.width) * v.stride + v.offset + (n - 1) % v.width;
    if (n == 0 || a.size < bytes || (bLast + 1) * 4 > b.size || y.size < bytes)
        throw std::invalid_argument("elementwise buffers too small");
    a.size = y.size = bytes;
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(id, {sg});
    rec.dispatch(p, {a, b, y}, ElementwisePush{n, scale, v.width, v.stride, v.offset}, rec.groupsFor((n + sg - 1) / sg));
}

} // namespace

void recordGeluMul(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
                   Strided bView)
{
    record(rec, pipelines, ShaderId::gelu_mul_f32, a, b, y, n, 1.0f, bView);
}

void recordAddScale(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
                    float scale)
{
    record(rec, pipelines, ShaderId::add_scale_f32, a, b, y, n, scale);
}

void recordSoftcap(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange y, uint32_t n, float cap)
{
    record(rec, pipelines, ShaderId::softcap_f32, a, a, y, n, cap); // b is not read
}

} // namespace facet::vk::kernels
