// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/attention.h"

#include <algorithm>
#include <stdexcept>

namespace facet::vk::kernels {

void recordRope(Recorder& rec, PipelineCache& pipelines, const Buffer& x, uint32_t tokens, uint32_t heads, uint32_t hd,
                uint32_t rotPairs, uint32_t pos0, float theta, float positionScale)
{
    const uint64_t bytes = uint64_t(tokens) * heads * hd * 4;
    if (hd % 2 || rotPairs > hd / 2 || tokens == 0 || x.size() < bytes)
        throw std::invalid_argument("rope: bad shape");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(ShaderId::rope_f32, {sg});
    const uint32_t n = tokens * heads * hd / 2;
    rec.dispatch(p, {x.range(0, bytes)}, RopePush{heads, hd, rotPairs, pos0, theta, tokens, positionScale}, rec.groupsFor((n + sg - 1) / sg));
}

void recordNormRope(Recorder& rec, PipelineCache& pipelines, const Buffer& x, const Buffer* weight, float eps, uint32_t tokens,
                    uint32_t heads, uint32_t hd, uint32_t rotPairs, uint32_t pos0, float theta, float positionScale)
{
    const uint64_t bytes = uint64_t(tokens) * heads * hd * 4;
    if (hd % 2 || rotPairs > hd / 2 || tokens == 0 || x.size() < bytes || (weight && weight->size() < uint64_t(hd) * 4))
        throw std::invalid_argument("norm_rope: bad shape");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(ShaderId::norm_rope_f32, {sg});
    // Without a weight its binding still needs a buffer; x stands in, unread.
    const BufferRange w = weight ? weight->range(0, uint64_t(hd) * 4) : x.range(0, bytes);
    const NormRopePush push{RopePush{heads, hd, rotPairs, pos0, theta, tokens, positionScale}, eps, weight ? 1u : 0u};
    rec.dispatch(p, {x.range(0, bytes), w}, push, rec.groupsFor(uint64_t(tokens) * heads));
}

void recordAttentionInputs(Recorder& rec, PipelineCache& pipelines, const AttentionInputs& in, const KvCache& cache,
                           float eps, uint32_t tokens, uint32_t heads, uint32_t kvHeads, uint32_t hd, uint32_t rotPairs,
                           uint32_t pos0, float theta, float positionScale)
{
    const uint64_t qBytes = uint64_t(tokens) * heads * hd * 4, kvBytes = uint64_t(tokens) * kvHeads * hd * 4;
    if (hd % 2 || rotPairs > hd / 2 || tokens == 0 || tokens > cache.capacity || cache.width != kvHeads * hd ||
        in.q.size() < qBytes || in.k.size() < kvBytes || in.v.size() < kvBytes || in.qNorm.size() < uint64_t(hd) * 4 ||
        in.kNorm.size() < uint64_t(hd) * 4)
        throw std::invalid_argument("attention_inputs: bad shape or more tokens than cache slots");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(cache.f16 ? ShaderId::attention_inputs_f16 : ShaderId::attention_inputs_f32, {sg});
    const AttentionInputsPush push{heads, kvHeads, hd, rotPairs, pos0, theta, tokens, positionScale, eps, cache.capacity,
                                   in.normV ? 1u : 0u};
    rec.dispatch(p,
                 {in.q.range(0, qBytes), in.qNorm.range(0, uint64_t(hd) * 4), in.k.range(0, kvBytes),
                  in.kNorm.range(0, uint64_t(hd) * 4), in.v.range(0, kvBytes), cache.k.range(), cache.v.range()},
                 push, rec.groupsFor(uint64_t(tokens) * (heads + kvHeads)));
}

void recordAttention(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const KvCache& cache, const Buffer& out,
                     uint32_t tokens, uint32_t heads, uint32_t kvHeads, uint32_t hd, uint32_t pos0, uint32_t window,
                     float scale, const Buffer* groupLast)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    // Every key a query needs must still be in the ring: the chunk's last position
    // evicts position last - capacity, which the first query must not need. Fewer
    // positions than the window exist early on.
    const uint64_t all = uint64_t(pos0) + tokens;
    const uint64_t span = window ? std::min<uint64_t>(uint64_t(window) + tokens - 1, all) : all;
    if (hd > 64 * sg || tokens == 0 || heads % kvHeads || cache.width != kvHeads * hd || span > cache.capacity ||
        (groupLast && groupLast->size() < uint64_t(tokens) * 4))
        throw std::invalid_argument("attention: bad shape or a cache too small for the window");
    const uint64_t bytes = uint64_t(tokens) * heads * hd * 4;
    const AttentionPush push{heads, kvHeads, hd, cache.capacity, pos0, window, scale, 1, groupLast ? 1u : 0u};
    const BufferRange groups = (groupLast ? *groupLast : q).range();
    // A CPU device reads an f16 cache as texels, 8 halves each, a whole number per lane.
    if (cache.f16 && rec.context().limits().texelReads && cache.k.range().texels && hd % (8 * sg) == 0 && hd / (8 * sg) <= 8) {
        const Pipeline& p = pipelines.get(ShaderId::attention_f16_texels, {sg, hd});
        rec.dispatch(p, {q.range(0, bytes), cache.k.range(), cache.v.range(), out.range(0, bytes), groups}, push, {heads, tokens, 1});
        return;
    }
    const Pipeline& p = pipelines.get(cache.f16 ? ShaderId::attention_f16 : ShaderId::attention_f32, {sg});
    rec.dispatch(p, {q.range(0, bytes), cache.k.range(), cache.v.range(), out.range(0, bytes), groups}, push, {heads, tokens, 1});
}

void recordAttentionAll(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const KvCache& cache, const Buffer& out,
                        uint32_t tokens, uint32_t heads, uint32_t hd, float scale)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    if (hd > 64 * sg || tokens == 0 || cache.width != heads * hd || tokens > cache.capacity)
        throw std::invalid_argument("attention: bad shape or a cache too small");
    const Pipeline& p = pipelines.get(cache.f16 ? ShaderId::attention_f16 : ShaderId::attention_f32, {sg});
    const uint64_t bytes = uint64_t(tokens) * heads * hd * 4;
    rec.dispatch(p, {q.range(0, bytes), cache.k.range(), cache.v.range(), out.range(0, bytes), q.range()},
                 AttentionPush{heads, heads, hd, cache.capacity, tokens - 1, 0, scale, 0, 0}, {heads, tokens, 1});
}

} // namespace facet::vk::kernels
