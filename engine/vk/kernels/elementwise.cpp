// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/elementwise.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

// Bytes an operand read through `v` must have for n elements.
uint64_t extent(const Strided& v, uint32_t n)
{
    return (uint64_t((n - 1) / v.width) * v.stride + v.offset + (n - 1) % v.width + 1) * 4;
}

void record(Recorder& rec, PipelineCache& pipelines, ShaderId id, ShaderId texelId, BufferRange a, BufferRange b,
            BufferRange y, uint32_t n, float scale, Strided bv = {}, Strided av = {})
{
    const uint64_t bytes = uint64_t(n) * 4;
    if (n == 0)
        throw std::invalid_argument("elementwise over nothing");
    // Both views share one width; an unset view reads plainly over that width.
    const uint32_t width = bv.width ? bv.width : av.width ? av.width : n;
    if ((bv.width && bv.width != width) || (av.width && av.width != width))
        throw std::invalid_argument("elementwise views of different widths");
    if (!bv.width)
        bv = {width, width, 0};
    if (!av.width)
        av = {width, width, 0};
    if (a.size < extent(av, n) || b.size < extent(bv, n) || y.size < bytes)
        throw std::invalid_argument("elementwise buffers too small");
    y.size = bytes;
    const uint32_t sg = rec.context().limits().subgroupSize;
    // Texels: whole vec4s throughout, each view's offset counted from its buffer's start.
    auto fours = [](uint32_t v) { return v % 4 == 0; };
    const bool texels = rec.context().limits().texelReads && a.texels && b.texels && a.offset % 16 == 0 &&
                        b.offset % 16 == 0 && fours(n) && fours(width) && fours(av.stride) && fours(av.offset) &&
                        fours(bv.stride) && fours(bv.offset);
    if (texels) {
        // Each lane takes 16 vec4s or more: a workgroup costs more than its few elements.
        constexpr uint32_t kVec4sPerLane = 16;
        const Pipeline& p = pipelines.get(texelId, {sg});
        const ElementwisePush push{n,         scale, width, av.stride, av.offset + static_cast<uint32_t>(a.offset / 4),
                                   bv.stride, bv.offset + static_cast<uint32_t>(b.offset / 4)};
        rec.dispatch(p, {a, b, y}, push, rec.groupsFor((n / 4 + sg * kVec4sPerLane - 1) / (sg * kVec4sPerLane)));
        return;
    }
    const Pipeline& p = pipelines.get(id, {sg});
    rec.dispatch(p, {a, b, y}, ElementwisePush{n, scale, width, av.stride, av.offset, bv.stride, bv.offset},
                 rec.groupsFor((n + sg - 1) / sg));
}

} // namespace

void recordGeluMul(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
                   Strided bView, Strided aView)
{
    record(rec, pipelines, ShaderId::gelu_mul_f32, ShaderId::gelu_mul_f32_texels, a, b, y, n, 1.0f, bView, aView);
}

void recordMul(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n, float scale,
               Strided bView)
{
    record(rec, pipelines, ShaderId::mul_f32, ShaderId::mul_f32_texels, a, b, y, n, scale, bView);
}

void recordAddScale(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange b, BufferRange y, uint32_t n,
                    float scale, Strided bView)
{
    record(rec, pipelines, ShaderId::add_scale_f32, ShaderId::add_scale_f32_texels, a, b, y, n, scale, bView);
}

void recordSoftcap(Recorder& rec, PipelineCache& pipelines, BufferRange a, BufferRange y, uint32_t n, float cap)
{
    record(rec, pipelines, ShaderId::softcap_f32, ShaderId::softcap_f32_texels, a, a, y, n, cap); // b is not read
}

} // namespace facet::vk::kernels
