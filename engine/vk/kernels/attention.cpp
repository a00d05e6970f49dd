// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "vk/kernels/attention.h"

#include <stdexcept>

namespace facet::vk::kernels {

void recordRope(Recorder& rec, PipelineCache& pipelines, const Buffer& x, uint32_t heads, uint32_t hd, uint32_t rotPairs,
                uint32_t pos, float theta)
{
    if (hd % 2 || rotPairs > hd / 2 || x.size() < uint64_t(heads) * hd * 4)
        throw std::invalid_argument("rope: bad shape");
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(ShaderId::rope_f32, {sg});
    const uint32_t n = heads * hd / 2;
    rec.dispatch(p, {x.range(0, uint64_t(heads) * hd * 4)}, RopePush{heads, hd, rotPairs, pos, theta}, rec.groupsFor((n + sg - 1) / sg));
}

void recordKvStore(Recorder& rec, PipelineCache& pipelines, const Buffer& k, const Buffer& v, const KvCache& cache, uint32_t pos)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    const Pipeline& p = pipelines.get(cache.f16 ? ShaderId::kv_store_f16 : ShaderId::kv_store_f32, {sg});
    const uint64_t bytes = uint64_t(cache.width) * 4;
    rec.dispatch(p, {k.range(0, bytes), v.range(0, bytes), cache.k.range(), cache.v.range()},
                 KvStorePush{cache.width, pos % cache.capacity}, {(cache.width + sg - 1) / sg, 1, 1});
}

void recordAttention(Recorder& rec, PipelineCache& pipelines, const Buffer& q, const KvCache& cache, const Buffer& out,
                     uint32_t heads, uint32_t kvHeads, uint32_t hd, uint32_t first, uint32_t last, float scale)
{
    const uint32_t sg = rec.context().limits().subgroupSize;
    if (hd > 64 * sg || heads % kvHeads || last < first || last - first >= cache.capacity || cache.width != kvHeads * hd)
        throw std::invalid_argument("attention: bad shape or window");
    const Pipeline& p = pipelines.get(cache.f16 ? ShaderId::attention_f16 : ShaderId::attention_f32, {sg});
    const uint64_t bytes = uint64_t(heads) * hd * 4;
    rec.dispatch(p, {q.range(0, bytes), cache.k.range(), cache.v.range(), out.range(0, bytes)},
                 AttentionPush{heads, kvHeads, hd, cache.capacity, first, last, scale}, {heads, 1, 1});
}

} // namespace facet::vk::kernels
