// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/vision.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

// Every variant declares the same five bindings; the ones it does not read get x.
void dispatch(Recorder& rec, PipelineCache& pipelines, ShaderId id, const Buffer& x, const Buffer* a, const Buffer* b,
              const Buffer* pos, const Buffer* y, const VisionPush& push)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(id, {sg});
    const auto r = [&](const Buffer* buf) { return (buf ? *buf : x).range(); };
    rec.dispatch(p, {x.range(), r(a), r(b), r(pos), r(y)}, push, rec.groupsFor((push.n + sg - 1) / sg));
}

} // namespace

void recordClamp(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& y, uint32_t n, float lo, float hi)
{
    if (x.size() < uint64_t(n) * 4 || y.size() < uint64_t(n) * 4)
        throw std::invalid_argument("clamp: buffer too small");
    dispatch(rec, pipelines, ShaderId::vision_clamp, x, nullptr, nullptr, nullptr, &y, VisionPush{n, 0, 0, 0, 0, lo, hi});
}

void recordPosEmbed(Recorder& rec, PipelineCache& pipelines, const Buffer& h, const Buffer& table, const Buffer& positions,
                    uint32_t tokens, uint32_t d, uint32_t axisRows)
{
    if (h.size() < uint64_t(tokens) * d * 4 || table.size() < uint64_t(2) * axisRows * d * 4 || positions.size() < uint64_t(tokens) * 8)
        throw std::invalid_argument("pos_embed: buffers too small");
    dispatch(rec, pipelines, ShaderId::vision_pos_embed, h, &table, nullptr, &positions, nullptr,
             VisionPush{tokens * d, d, 0, axisRows, 0, 0, 0});
}

void recordRope2d(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& positions, uint32_t tokens,
                  uint32_t heads, uint32_t hd, float theta)
{
    if (hd % 4 || x.size() < uint64_t(tokens) * heads * hd * 4 || positions.size() < uint64_t(tokens) * 8)
        throw std::invalid_argument("rope_2d: bad shape");
    dispatch(rec, pipelines, ShaderId::vision_rope_2d, x, nullptr, nullptr, &positions, nullptr,
             VisionPush{tokens * heads * (hd / 2), hd, heads, 0, 0, theta, 0});
}

void recordSelectRows(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& src, const Buffer& flags,
                      uint32_t tokens, uint32_t d)
{
    if (x.size() < uint64_t(tokens) * d * 4 || src.size() < uint64_t(tokens) * d * 4 || flags.size() < uint64_t(tokens) * 4)
        throw std::invalid_argument("select_rows: buffers too small");
    dispatch(rec, pipelines, ShaderId::vision_select, x, &src, nullptr, &flags, nullptr, VisionPush{tokens * d, d, 0, 0, 0, 0, 0});
}

void recordPool(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& y, uint32_t rows, uint32_t cols,
                uint32_t d, uint32_t k, float scale, const Buffer* bias, const Buffer* stdScale)
{
    const uint32_t out = (rows / k) * (cols / k);
    if (rows % k || cols % k || x.size() < uint64_t(rows) * cols * d * 4 || y.size() < uint64_t(out) * d * 4 || (bias && !stdScale))
        throw std::invalid_argument("pool: bad shape");
    dispatch(rec, pipelines, ShaderId::vision_pool, x, bias, stdScale, nullptr, &y,
             VisionPush{out * d, d, 0, cols, k, scale, bias ? 1.0f : 0.0f});
}

} // namespace facet::vk::kernels
