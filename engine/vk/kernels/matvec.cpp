// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/matvec.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

// Rows per workgroup: x is loaded once and reused across them (toolchain-notes §3 found
// 4-8 best on lavapipe).
constexpr uint32_t kRowsPerGroup = 4;

} // namespace

void recordMatvecF32(Recorder& rec, PipelineCache& pipelines, const RowChunkedBuffer& weight, uint32_t cols,
                     const Buffer& x, const Buffer& y)
{
    if (cols % 4 != 0 || weight.rowBytes() != uint64_t(cols) * 4)
        throw std::invalid_argument("matvec_f32 needs f32 rows of a multiple of 4 elements");
    if (x.size() < uint64_t(cols) * 4 || y.size() < weight.rows() * 4)
        throw std::invalid_argument("matvec_f32 input or output too small");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(ShaderId::matvec_f32, {sg, kRowsPerGroup});
    for (const auto& chunk : weight.chunks()) {
        const MatvecPush push{cols / 4, static_cast<uint32_t>(chunk.rowCount), static_cast<uint32_t>(chunk.firstRow)};
        const uint64_t groups = (chunk.rowCount + kRowsPerGroup - 1) / kRowsPerGroup;
        rec.dispatch(p, {chunk.buffer.range(), x.range(0, uint64_t(cols) * 4), y.range(0, weight.rows() * 4)}, push, rec.groupsFor(groups));
    }
}

} // namespace facet::vk::kernels
