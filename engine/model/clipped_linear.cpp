// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 Facet authors
#include "model/clipped_linear.h"

#include "facet/error.h"
#include "vk/kernels/vision.h"
#include "vk/kernels/weight_types.h"

#include <stdexcept>

namespace facet::model {

using namespace vk;
using namespace vk::kernels;

ClippedLinear loadClippedLinear(Context& ctx, const WeightSource& weights, const std::string& base)
{
    ClippedLinear l;
    const Weight& w = weights.require(base + ".weight");
    if (!weightTypeKernels(w.type))
        throw Error(weights.displayName() + " stores " + w.name + " as " + std::string(ggmlTypeTraits(w.type).name) +
                    "; Facet computes with " + supportedWeightTypes() + " weights.");
    l.w.emplace(uploadMatrix(ctx, w.data, uint64_t(w.rows()), w.type, uint32_t(w.ne[0])));
    l.rows = uint32_t(w.rows());
    l.cols = uint32_t(w.ne[0]);
    if (const Weight* lo = weights.find(base + ".input_min")) {
        const auto scalar = [&](const std::string& s) { return weights.require(base + "." + s).allAsFloat().at(0); };
        l.clipped = true;
        l.inMin = lo->allAsFloat().at(0);
        l.inMax = scalar("input_max");
        l.outMin = scalar("output_min");
        l.outMax = scalar("output_max");
    }
    return l;
}

Buffer uploadFloats(Context& ctx, const Weight& w)
{
    const auto values = w.allAsFloat();
    Buffer b(ctx, values.size() * 4, MemoryUse::Device);
    b.uploadValues(std::span<const float>(values));
    return b;
}

void recordClippedLinear(Recorder& rec, PipelineCache& pipelines, const ClippedLinear& l, const Buffer& x, const Buffer& y,
                         uint32_t n, const Buffer* scratch)
{
    const Buffer* in = &x;
    if (l.clipped) {
        if (!scratch || scratch->size() < uint64_t(n) * l.cols * 4)
            throw std::logic_error("clipped linear: clamp scratch not sized before recording");
        recordClamp(rec, pipelines, x, *scratch, n * l.cols, l.inMin, l.inMax);
        rec.computeBarrier();
        in = scratch;
    }
    recordMatvec(rec, pipelines, *l.w, in->range(), y.range(), n);
    rec.computeBarrier();
    if (l.clipped) {
        recordClamp(rec, pipelines, y, y, n * l.rows, l.outMin, l.outMax);
        rec.computeBarrier();
    }
}

} // namespace facet::model
