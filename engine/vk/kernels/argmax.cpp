// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/argmax.h"

#include <stdexcept>

namespace facet::vk::kernels {

void recordArgmax(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& result, uint32_t n, uint32_t offset)
{
    const Pipeline& p = pipelines.get(ShaderId::argmax_f32, {rec.context().limits().subgroupSize});
    rec.dispatch(p, {x.range(0, uint64_t(offset + n) * 4), result.range(0, 4)}, ArgmaxPush{n, offset}, {1, 1, 1});
}

namespace {
constexpr uint32_t kSegment = 2048; // shaders/topk.comp SEGMENT
}

uint64_t topKScratchPairs(uint32_t n, uint32_t k) { return uint64_t((n + kSegment - 1) / kSegment) * k; }

void recordTopK(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer& recent, uint32_t recentCount,
                float penalty, const Buffer& scratchIds, const Buffer& scratchValues, const Buffer& ids, const Buffer& values,
                uint32_t n, uint32_t k)
{
    const uint32_t segments = (n + kSegment - 1) / kSegment;
    const uint64_t pairs = uint64_t(segments) * k;
    if (k == 0 || k > n || k > kSegment || ids.size() < uint64_t(k) * 4 || values.size() < uint64_t(k) * 4 ||
        recent.size() < uint64_t(recentCount) * 4 || scratchIds.size() < pairs * 4 || scratchValues.size() < pairs * 4)
        throw std::invalid_argument("topk: bad sizes");
    const uint32_t sg = rec.context().limits().subgroupSize;
    rec.dispatch(pipelines.get(ShaderId::topk_segments_f32, {sg}),
                 {x.range(0, uint64_t(n) * 4), recent.range(), scratchIds.range(0, pairs * 4), scratchValues.range(0, pairs * 4)},
                 TopKPush{n, k, recentCount, penalty}, {segments, 1, 1});
    rec.computeBarrier(); // each segment's candidates -> the merge
    rec.dispatch(pipelines.get(ShaderId::topk_merge_f32, {sg}),
                 {scratchValues.range(0, pairs * 4), scratchIds.range(0, pairs * 4), ids.range(0, uint64_t(k) * 4),
                  values.range(0, uint64_t(k) * 4)},
                 TopKPush{uint32_t(pairs), k, 0, 1.0f}, {1, 1, 1});
}

} // namespace facet::vk::kernels
