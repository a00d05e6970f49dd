// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/matvec.h"

#include <stdexcept>

namespace facet::vk::kernels {
namespace {

// Rows per workgroup: x is loaded once and reused across them (toolchain-notes §3 found
// 4-8 best on lavapipe).
constexpr uint32_t kRowsPerGroup = 4;

void record(Recorder& rec, PipelineCache& pipelines, ShaderId id, uint32_t elementBytesTimes2,
            const RowChunkedBuffer& weight, uint32_t cols, const Buffer& x, const Buffer& y, float scale)
{
    if (cols % 4 != 0 || weight.rowBytes() * 2 != uint64_t(cols) * elementBytesTimes2)
        throw std::invalid_argument("matvec needs rows of a multiple of 4 elements");
    if (x.size() < uint64_t(cols) * 4 || y.size() < weight.rows() * 4)
        throw std::invalid_argument("matvec input or output too small");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(id, {sg, kRowsPerGroup});
    for (const auto& chunk : weight.chunks()) {
        const MatvecPush push{cols / 4, static_cast<uint32_t>(chunk.rowCount), static_cast<uint32_t>(chunk.firstRow), scale};
        const uint64_t groups = (chunk.rowCount + kRowsPerGroup - 1) / kRowsPerGroup;
        rec.dispatch(p, {chunk.buffer.range(), x.range(0, uint64_t(cols) * 4), y.range(0, weight.rows() * 4)}, push,
                     rec.groupsFor(groups));
    }
}

} // namespace

bool matvecSupports(GgmlType type) { return type == GgmlType::F32 || type == GgmlType::F16 || type == GgmlType::BF16; }

void recordMatvec(Recorder& rec, PipelineCache& pipelines, const DeviceMatrix& w, const Buffer& x, const Buffer& y, float scale)
{
    switch (w.type) {
    case GgmlType::F32: return record(rec, pipelines, ShaderId::matvec_f32, 8, w.data, w.cols, x, y, scale);
    case GgmlType::F16: return record(rec, pipelines, ShaderId::matvec_f16, 4, w.data, w.cols, x, y, scale);
    case GgmlType::BF16: return record(rec, pipelines, ShaderId::matvec_bf16, 4, w.data, w.cols, x, y, scale);
    default: throw std::invalid_argument("matvec: storage type not supported yet");
    }
}

void recordMatvecF32(Recorder& rec, PipelineCache& pipelines, const RowChunkedBuffer& weight, uint32_t cols,
                     const Buffer& x, const Buffer& y)
{
    record(rec, pipelines, ShaderId::matvec_f32, 8, weight, cols, x, y, 1.0f);
}

} // namespace facet::vk::kernels
